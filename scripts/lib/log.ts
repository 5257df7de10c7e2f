/** One line per event, with a time and a source, for the operator's terminal or journal. */
export function log(source: string, message: string): void {
  console.log(`${new Date().toISOString()} [${source}] ${message}`);
}
