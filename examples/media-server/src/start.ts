// `npm start`: the whole Candor system on this machine in one command. The root script builds
// every package first (`npm run build`), then runs this file from dist/.
import { MediaServerError } from './media-server-error.js';
import { resolveStartOptions, START_USAGE } from './start/resolve-start-options.js';
import { startDemo, type Demo } from './start/start-demo.js';

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    log(START_USAGE);
    return;
  }
  const options = resolveStartOptions(process.argv.slice(2), process.env, process.cwd());
  log(`Candor demo: data in ${options.home}`);
  const demo = await startDemo(options, log);
  printBanner(demo);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      log('Stopping now.');
      process.exit(130);
    }
    stopping = true;
    log(`\n${signal}: stopping…`);
    demo
      .stop()
      .then(() => {
        log('Stopped.');
        process.exitCode = 0;
      })
      .catch((error: unknown) => {
        log(`Stopped with an error: ${(error as Error).message}`);
        process.exitCode = 1;
      });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function printBanner(demo: Demo): void {
  const { urls } = demo;
  const lines = [
    '',
    'Candor is running:',
    `  Media server   ${urls.mediaServer}`,
    urls.privacyTab !== null && `  Privacy tab    ${urls.privacyTab}`,
    urls.privacyTab !== null && '                 (signs you in as the owner; the privacy tab is on the settings page)',
    urls.dashboard !== null && `  Dashboard      ${urls.dashboard}`,
    urls.adminToken !== null && `  Admin token    ${urls.adminToken}`,
    urls.dashboard !== null && '                 (sign in to the dashboard with it; the statistics API takes it as a bearer token)',
    urls.collector !== null && `  Collector      ${urls.collector}`,
    urls.collector !== null && urls.adminToken !== null && `  Statistics     curl -H 'Authorization: Bearer ${urls.adminToken}' '${urls.collector}/v1/stats?event=playback.session&groupBy=resolution'`,
    ...demo.missing.map((m) => `  Not running    ${m}`),
    '',
    'Press Ctrl-C to stop.',
  ];
  log(lines.filter((l): l is string => typeof l === 'string').join('\n'));
}

main().catch((error: unknown) => {
  if (error instanceof MediaServerError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`npm start failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
});
