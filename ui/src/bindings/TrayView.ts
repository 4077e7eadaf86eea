export type TrayView = { open_label: string, whatsapp_label: string, quit_label: string, unread: number, tooltip: string, };
