import en from "./locales/en.json";
import ru from "./locales/ru.json";
import { ERROR_CODES } from "../lib/errors";
import { STATUSES } from "../lib/status";
import { AI_FAILURES, AI_PRESETS, CLIENT_LANGUAGES, DIETS, DIFFICULTIES, PARTNER_KINDS, ROLES, ADDRESS_FORMS, LANGUAGES_WITH_UNKNOWN, MESSAGE_KINDS, SEND_STATUSES } from "../lib/choices";
import { SEND_FAILURES } from "../features/inbox/ticks";
import { WA_FAILURE_CODES, WA_STATES } from "../features/whatsapp/waState";
import { UPDATE_FAILURES } from "../features/desktop/updateState";
import { IMPORT_ACTIONS, IMPORT_BATCH_STATUSES, IMPORT_SOURCES } from "../features/import/choices";

type Tree = { [k: string]: string | Tree };

/** Every leaf key as a dotted path. */
function leafKeys(tree: Tree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === "string" ? [`${prefix}${k}`] : leafKeys(v, `${prefix}${k}.`),
  );
}

function lookup(tree: Tree, path: string): unknown {
  return path.split(".").reduce<unknown>((node, k) => (node && typeof node === "object" ? (node as Tree)[k] : undefined), tree);
}

/** The generated binding files as text. */
const bindings = import.meta.glob("../bindings/*.ts", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

/** The string members of a ts-rs union type file, e.g. `export type X = "a" | "b";`. */
function unionMembers(bindingFile: string): string[] {
  const text = bindings[`../bindings/${bindingFile}`];
  if (text === undefined) throw new Error(`no binding file ${bindingFile}`);
  const m = /export type \w+ = ([^;]+);/.exec(text);
  if (!m) throw new Error(`no union in ${bindingFile}`);
  return [...m[1].matchAll(/"([a-z_]+)"/g)].map((x) => x[1]);
}

describe("locales", () => {
  it("ru and en have exactly the same keys, at every depth", () => {
    expect(leafKeys(ru as Tree).sort()).toEqual(leafKeys(en as Tree).sort());
  });

  it("have no empty translations", () => {
    for (const tree of [ru, en] as Tree[]) {
      for (const k of leafKeys(tree)) expect((lookup(tree, k) as string).trim(), k).not.toBe("");
    }
  });

  it("translate every ErrorCode of the bindings, in both languages", () => {
    const codes = unionMembers("ErrorCode.ts");
    expect(codes.length).toBeGreaterThan(20);
    expect([...ERROR_CODES].sort()).toEqual([...codes].sort());
    for (const code of codes) {
      expect(typeof lookup(ru as Tree, `errors.${code}`), `ru errors.${code}`).toBe("string");
      expect(typeof lookup(en as Tree, `errors.${code}`), `en errors.${code}`).toBe("string");
    }
  });

  it("word every UpdateFailure of the bindings, in both languages", () => {
    expect([...UPDATE_FAILURES].sort()).toEqual(unionMembers("UpdateFailure.ts").sort());
    for (const f of UPDATE_FAILURES) {
      expect(typeof lookup(ru as Tree, `desktop.update.failure.${f}`), `ru ${f}`).toBe("string");
      expect(typeof lookup(en as Tree, `desktop.update.failure.${f}`), `en ${f}`).toBe("string");
    }
  });

  it("say what is wrong with an import file in the words the owner asked for", () => {
    expect(ERROR_CODES).toContain("not_a_whatsapp_export");
    expect(en.errors.not_a_whatsapp_export.startsWith("This file is not a WhatsApp chat export")).toBe(true);
    expect(ru.errors.not_a_whatsapp_export.startsWith("Этот файл не является экспортом чата WhatsApp")).toBe(true);
  });

  it("word every import choice (source, state, action), in both languages", () => {
    const paths = [
      ...IMPORT_SOURCES.map((s) => `import.source.${s}`),
      ...IMPORT_BATCH_STATUSES.map((s) => `import.batchStatus.${s}`),
      ...IMPORT_ACTIONS.map((a) => `import.action.${a}`),
      ...["choose", "review", "summary"].map((s) => `import.step.${s}`),
      "nav.import",
    ];
    for (const p of paths) {
      expect(typeof lookup(ru as Tree, p), `ru ${p}`).toBe("string");
      expect(typeof lookup(en as Tree, p), `en ${p}`).toBe("string");
    }
    expect(en.nav.import).toBe("Import history");
    expect(ru.nav.import).toBe("Импорт истории");
  });

  it("name the funnel statuses exactly as the owner's document does", () => {
    expect(ru.status).toEqual({
      new_lead: "Новый лид",
      qualified: "Квалифицирован",
      warmed: "Прогрет",
      proposal_sent: "Отправлено предложение",
      negotiation: "Переговоры",
      sold: "Продано",
      service: "Сервисное сопровождение",
    });
    expect(en.status).toEqual({
      new_lead: "New lead",
      qualified: "Qualified",
      warmed: "Warmed up",
      proposal_sent: "Proposal sent",
      negotiation: "Negotiation",
      sold: "Sold",
      service: "After-sales service",
    });
  });

  it("translate every value of every closed set the bindings define", () => {
    const sets: [string, string, readonly string[]][] = [
      ["FunnelStatus.ts", "status", STATUSES],
      ["Language.ts", "lang", LANGUAGES_WITH_UNKNOWN],
      ["Diet.ts", "diet", DIETS],
      ["AddressForm.ts", "address", ADDRESS_FORMS],
      ["Role.ts", "role", ROLES],
      ["PartnerKind.ts", "partnerKind", PARTNER_KINDS],
      ["Difficulty.ts", "difficulty", DIFFICULTIES],
      ["Reason.ts", "backupReason", ["daily", "pre_migration", "manual", "pre_restore"]],
      ["AiPreset.ts", "aiPreset", AI_PRESETS],
      ["AiFailure.ts", "aiFailure", AI_FAILURES],
      ["MessageKind.ts", "msgKind", MESSAGE_KINDS],
      ["SendStatus.ts", "sendStatus", SEND_STATUSES],
      ["ChatKind.ts", "inbox.kind", ["one_to_one", "group", "broadcast"]],
    ];
    for (const [file, prefix, ours] of sets) {
      const members = unionMembers(file);
      expect([...ours].sort(), file).toEqual([...members].sort());
      for (const v of members) {
        expect(typeof lookup(ru as Tree, `${prefix}.${v}`), `ru ${prefix}.${v}`).toBe("string");
        expect(typeof lookup(en as Tree, `${prefix}.${v}`), `en ${prefix}.${v}`).toBe("string");
      }
    }
    expect(CLIENT_LANGUAGES).toHaveLength(7);
  });

  it("word every WhatsApp state, failure code and send failure, in both languages", () => {
    const waStates = [...(bindings["../bindings/WaState.ts"] ?? "").matchAll(/"state": "([a-z_]+)"/g)].map((m) => m[1]);
    expect([...WA_STATES].sort()).toEqual([...waStates].sort());
    const paths = [
      ...WA_FAILURE_CODES.flatMap((c) => [`wa.reason.${c}`, `wa.advice.${c}`]),
      ...SEND_FAILURES.map((c) => `sendFailure.${c}`),
      "wa.reason.generic", "wa.advice.generic", "sendFailure.generic", "statusChange.whatsapp",
      "wa.state.not_connected", "wa.state.starting", "wa.state.waitingPhone", "wa.state.authenticated", "wa.state.ready",
      "wa.state.degraded", "wa.state.logged_out", "wa.state.failed", "wa.state.unavailable",
    ];
    for (const p of paths) {
      expect(typeof lookup(ru as Tree, p), `ru ${p}`).toBe("string");
      expect(typeof lookup(en as Tree, p), `en ${p}`).toBe("string");
    }
    expect(en.statusChange.whatsapp).toBe("WhatsApp (new message)");
    expect(ru.statusChange.whatsapp).toBe("WhatsApp (новое сообщение)");
  });

  it("keep the same {{placeholders}} in both languages", () => {
    for (const k of leafKeys(en as Tree)) {
      const names = (tree: Tree) => [...((lookup(tree, k) as string).matchAll(/\{\{(\w+)\}\}/g))].map((m) => m[1]).sort();
      expect(names(ru as Tree), k).toEqual(names(en as Tree));
    }
  });
});
