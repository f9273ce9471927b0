import { flattenDocument } from './flatten';
import { ManifestStream, RawDocument } from './stream';
import { Utf8Reader } from './utf8';
import { LineIndex, parseDocuments, parseJsonValue, ParsedDocument } from './yaml-document';

/**
 * One document of a stream as kubectl makes objects of it: the objects, and what it
 * refuses (a document that does not decode, a list item without a kind…), each located.
 */
export interface DecodedDocument {
  /** 1-based line of the stream at which the document starts. */
  readonly line: number;
  readonly objects: { readonly value: { [key: string]: unknown }; readonly path: string; readonly line: number }[];
  readonly errors: { readonly line: number; readonly column: number; readonly message: string }[];
}

/**
 * The documents of a whole stream (bytes, as read from a file or a pipe), decoded as
 * `kubectl apply -f` decodes them: the composition of the input module's steps
 * (UTF-8, the document cut, go-yaml v2 decoding, list flattening) that the engine runs
 * document by document. Documents that hold nothing (comments, `null`) are left out,
 * as kubectl leaves them out. Never throws.
 */
export function decodeManifestStream(bytes: Uint8Array): DecodedDocument[] {
  const reader = new Utf8Reader();
  const raw: RawDocument[] = [];
  const stream = new ManifestStream((d) => raw.push(d));
  stream.push(reader.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
  stream.push(reader.end());
  stream.end();
  const yaml = raw.flatMap((d) => (d.kind === 'yaml' ? [d.text] : []));
  const parsedYaml = parseDocuments(yaml);
  const out: DecodedDocument[] = [];
  let y = 0;
  for (const d of raw) {
    if (d.kind === 'error') {
      out.push({ line: d.line, objects: [], errors: [{ line: d.line, column: d.column, message: d.message }] });
      continue;
    }
    const parsed: ParsedDocument = d.kind === 'yaml' ? parsedYaml[y++] : parseJsonValue(d.text);
    const lines = new LineIndex(d.text);
    const at = (offset: number) => {
      const p = lines.position(offset);
      return { line: p.line + d.startLine - 1, column: p.column };
    };
    if (parsed.error !== undefined) {
      out.push({ line: d.startLine, objects: [], errors: [{ ...at(parsed.error.offset), message: parsed.error.message }] });
      continue;
    }
    if (parsed.value === null || parsed.value === undefined) continue;
    const flat = flattenDocument(parsed.value);
    out.push({
      line: d.startLine,
      objects: flat.objects.map((o) => ({ value: o.value, path: o.path, line: at(parsed.locate(o.path)).line })),
      errors: flat.errors.map((e) => ({ ...at(parsed.locate(e.path)), message: e.message })),
    });
  }
  return out;
}
