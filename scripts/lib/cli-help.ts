/**
 * `--help` / `--dry-run` for the scripts behind package.json: print what the script does and exit 0
 * before it starts anything, so a test can run every script quickly (scripts/package-scripts.test.ts).
 */
export function exitOnHelp(usage: string, argv: readonly string[] = process.argv.slice(2)): void {
  if (!argv.includes('--help') && !argv.includes('--dry-run')) return;
  process.stdout.write(`${usage.trim()}\n`);
  process.exit(0);
}
