-- Import warnings and undo reports travel as codes the UI translates (ImportNote), not English
-- sentences. Sentences stored by earlier versions become {"code":"legacy","text":…} notes so
-- every stored row stays readable.

UPDATE import_items SET warnings = (
    SELECT json_group_array(
        CASE WHEN type = 'text' THEN json_object('code', 'legacy', 'text', value) ELSE json(value) END)
    FROM json_each(import_items.warnings))
WHERE EXISTS (SELECT 1 FROM json_each(import_items.warnings) WHERE type = 'text');

UPDATE import_batches SET undo_report = json_set(undo_report, '$.kept', json((
    SELECT json_group_array(
        CASE WHEN type = 'text' THEN json_object('code', 'legacy', 'text', value) ELSE json(value) END)
    FROM json_each(import_batches.undo_report, '$.kept'))))
WHERE undo_report IS NOT NULL
  AND EXISTS (SELECT 1 FROM json_each(import_batches.undo_report, '$.kept') WHERE type = 'text');
