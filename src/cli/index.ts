export { main, run } from './main';
export { CliIo, OutputStream } from './io';
export { EXIT_OK, EXIT_FINDINGS, EXIT_ERROR } from './check-command';
export { formatJson, jsonReport } from './format-json';
export { formatSarif, sarifLog } from './format-sarif';
export { formatText } from './format-text';
