import type { UpdateChannel } from "./UpdateChannel";
export type DesktopSettings = { update_channel: UpdateChannel, close_to_tray: boolean, start_at_login: boolean, close_to_tray_explained: boolean, };
