import type { Client } from "../../bindings/Client";
import { clientToForm, emptyClientForm, formToInput } from "./clientForm";
import { actorLabel } from "./actor";

const client: Client = {
  id: "c1",
  status: "warmed",
  manager_name: "Айгуль",
  partner_name: null,
  created_at: "2026-11-01T10:00:00Z",
  updated_at: "2026-11-02T10:00:00Z",
  deleted_at: null,
  merged_into: null,
  name: "محمد العتيبي",
  phone: "+966501234567",
  email: null,
  language: "ar",
  culture: { diet: "halal", address: "formal", time_zone: "Asia/Riyadh", notes: "" },
  notes: "",
  manager_id: "u1",
  partner_id: null,
  tour_ids: ["t1"],
};

describe("client form", () => {
  it("sends empty optional texts as absent, not as empty strings", () => {
    const input = formToInput({ ...emptyClientForm(), name: "Anna", phone: "  ", email: "" });
    expect(input.phone).toBeUndefined();
    expect(input.email).toBeUndefined();
    expect(input.culture.time_zone).toBeUndefined();
    expect(input.manager_id).toBeUndefined();
    expect(input.language).toBe("unknown");
  });

  it("round-trips a stored client, nulls included", () => {
    const form = clientToForm(client);
    expect(form.email).toBe("");
    expect(form.partner_id).toBe("");
    const input = formToInput(form);
    expect(input.name).toBe("محمد العتيبي");
    expect(input.phone).toBe("+966501234567");
    expect(input.culture).toEqual({ diet: "halal", address: "formal", time_zone: "Asia/Riyadh", notes: "" });
    expect(input.manager_id).toBe("u1");
    expect(input.tour_ids).toEqual(["t1"]);
  });
});

describe("history actor", () => {
  const t = ((k: string, o?: { name?: string }) => (o?.name ? `${k}:${o.name}` : k)) as unknown as Parameters<typeof actorLabel>[1];
  it("names users, agents, the import and WhatsApp", () => {
    expect(actorLabel({ actor: { kind: "user", id: "u1" }, actor_name: "Айгуль" }, t)).toBe("Айгуль");
    expect(actorLabel({ actor: { kind: "user", id: "u1" }, actor_name: null }, t)).toBe("statusChange.unknownUser");
    expect(actorLabel({ actor: { kind: "agent", id: "qualifier" }, actor_name: null }, t)).toBe("statusChange.agent:qualifier");
    expect(actorLabel({ actor: { kind: "import" } }, t)).toBe("statusChange.import");
    expect(actorLabel({ actor: { kind: "whatsapp" } }, t)).toBe("statusChange.whatsapp");
  });
});
