import i18n from "i18next";
import en from "../i18n/locales/en.json";
import ru from "../i18n/locales/ru.json";
import { duplicateTarget, errorSentence } from "./errors";

const inst = i18n.createInstance();
beforeAll(async () => {
  await inst.init({ resources: { en: { translation: en }, ru: { translation: ru } }, lng: "ru", interpolation: { escapeValue: false } });
});

describe("error sentences", () => {
  it("turn a code into a sentence in the UI language, never the raw message", async () => {
    await inst.changeLanguage("ru");
    const s = errorSentence({ code: "invalid_credentials", message: "bad password for x@y" }, inst.t);
    expect(s).toBe(ru.errors.invalid_credentials);
    expect(s).not.toContain("bad password");
    await inst.changeLanguage("en");
    expect(errorSentence({ code: "invalid_credentials", message: "" }, inst.t)).toBe(en.errors.invalid_credentials);
  });

  it("prefix the field's name when the error is about a field", async () => {
    await inst.changeLanguage("ru");
    expect(errorSentence({ code: "invalid_phone", message: "", field: "phone" }, inst.t)).toBe(`Телефон: ${ru.errors.invalid_phone}`);
    await inst.changeLanguage("en");
    expect(errorSentence({ code: "required", message: "", field: "title" }, inst.t)).toBe(`Title: ${en.errors.required}`);
  });

  it("leave out a field it has no name for, and treat an unknown code as internal", async () => {
    await inst.changeLanguage("en");
    expect(errorSentence({ code: "required", message: "", field: "mystery_field" }, inst.t)).toBe(en.errors.required);
    const weird = { code: "brand_new_code", message: "x" } as unknown as Parameters<typeof errorSentence>[0];
    expect(errorSentence(weird, inst.t)).toBe(en.errors.internal);
  });

  it("link a duplicate phone to the existing client", () => {
    expect(duplicateTarget({ code: "duplicate_phone", message: "", field: "phone", existing_id: "abc" })).toBe("abc");
    expect(duplicateTarget({ code: "duplicate_phone", message: "" })).toBeNull();
    expect(duplicateTarget({ code: "not_found", message: "", existing_id: "abc" })).toBeNull();
  });
});
