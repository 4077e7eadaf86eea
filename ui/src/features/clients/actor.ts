// Who made a status change, as a label: the user's name, "AI agent X", "Import" or "WhatsApp".
import type { TFunction } from "i18next";
import type { StatusChange } from "../../bindings/StatusChange";

export function actorLabel(h: Pick<StatusChange, "actor" | "actor_name">, t: TFunction): string {
  switch (h.actor.kind) {
    case "user":
      return h.actor_name ?? t("statusChange.unknownUser");
    case "agent":
      return t("statusChange.agent", { name: h.actor_name ?? h.actor.id });
    case "import":
      return t("statusChange.import");
    case "whatsapp":
      return t("statusChange.whatsapp");
  }
}
