// CSV for the browser-side imports (情报库, 高危人群库); no dependencies, so node tests it.

// Parses CSV text (RFC 4180 quotes, CRLF or LF) into {header, rows: [{line, fields}]}, where
// line is the 1-based line in the file, so import errors can name it.
export function parseCsv(text) {
  const records = [];
  let field = '';
  let fields = [];
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      line++;
      recordLine = line;
    } else {
      field += c;
    }
  }
  if (field !== '' || fields.length) {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  const nonEmpty = records.filter((r) => r.fields.some((f) => f.trim() !== ''));
  if (!nonEmpty.length) return { header: [], rows: [] };
  const header = nonEmpty[0].fields.map((h) => h.trim().replace(/^\uFEFF/, ''));
  return { header, rows: nonEmpty.slice(1) };
}
