import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML, type XMLValidationResult } from 'xmllint-wasm';

const SCHEMA = readFileSync(join(__dirname, '..', '..', 'schemas', 'erms', 'ERMS.xsd'), 'utf8');

/** Validates an export against the vendored CITS ERMS schema (schemas/erms/ERMS.xsd) with libxml2 built to WebAssembly. */
export function validateErms(xml: string): Promise<XMLValidationResult> {
  return validateXML({ xml: { fileName: 'export.xml', contents: xml }, schema: { fileName: 'ERMS.xsd', contents: SCHEMA }, initialMemoryPages: 512, maxMemoryPages: 4096 });
}
