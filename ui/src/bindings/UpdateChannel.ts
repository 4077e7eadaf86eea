export type UpdateChannel = "stable" | "beta";
