// `autobot sentiment import|show`: recorded headlines into storage, and the sentiment series the
// rsi strategy's minSentiment reads. The file is a JSON list of {title, publishedAt, source?,
// url?} or a saved NewsAPI answer ({"articles": [...]}), so a recorded response imports as it is.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { createApp, type App } from '../app/app.ts';
import { defaultDataDir } from '../app/data-dir.ts';
import type { CallInput, CallName, CallOutput } from '../contract/calls.ts';
import { AutobotError } from '../contract/errors.ts';
import { describeError, print } from './command-support.ts';

export interface SentimentCommandOptions {
  /** Opens the app on a data folder; tests pass one with a licence installed. */
  openApp?: (dataDir: string) => App | Promise<App>;
}

const listSchema = z.array(
  z.object({ title: z.string(), publishedAt: z.string(), source: z.string().optional() }).loose(),
);
const newsApiSchema = z.object({
  articles: z.array(
    z
      .object({ title: z.string(), publishedAt: z.string(), source: z.object({ name: z.string() }).loose() })
      .loose(),
  ),
});

/** The file's headlines, or an Error saying what the file should hold. */
export function readHeadlineFile(file: string): CallInput<'sentiment.import'>['headlines'] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read ${file} as JSON: ${(error as Error).message}`, { cause: error });
  }
  const list = listSchema.safeParse(parsed);
  if (list.success)
    return list.data.map((item) => ({
      title: item.title,
      publishedAt: item.publishedAt,
      ...(item.source ? { source: item.source } : {}),
    }));
  const answer = newsApiSchema.safeParse(parsed);
  if (answer.success)
    return answer.data.articles.map((article) => ({
      title: article.title,
      publishedAt: article.publishedAt,
      source: article.source.name,
    }));
  throw new Error(
    `${file} holds neither a list of {"title", "publishedAt"} headlines nor a NewsAPI answer with "articles".`,
  );
}

export function registerSentimentCommands(program: Command, options: SentimentCommandOptions = {}): Command {
  const openApp = options.openApp ?? ((dataDir: string) => createApp({ dataDir, host: 'cli' }));
  const sentiment = program
    .command('sentiment')
    .description(
      'Import recorded headlines and show the sentiment series strategies filter on (minSentiment).',
    );

  const run = async (command: Command, dataDir: string, work: (app: App) => Promise<string>) => {
    let output: string | undefined;
    let failure: string | undefined;
    const app = await openApp(path.resolve(dataDir));
    try {
      output = await work(app);
    } catch (error) {
      failure = describeError(error);
    } finally {
      app.close();
    }
    if (failure !== undefined) command.error(failure, { exitCode: 1, code: 'autobot.sentiment' });
    print(command, output!);
  };

  sentiment
    .command('import')
    .description('Score and store a file of headlines for a symbol (JSON list, or a saved NewsAPI answer).')
    .requiredOption('--symbol <symbol>', 'the stored symbol the headlines are about, e.g. GOOG')
    .requiredOption('--file <file>', 'the headlines file')
    .option('--data-dir <dir>', 'folder of the database (default: the app’s data folder)', defaultDataDir())
    .action(async (opts: { symbol: string; file: string; dataDir: string }, command: Command) => {
      await run(command, opts.dataDir, async (app) => {
        const result = await dispatch(app, 'sentiment.import', {
          symbol: opts.symbol,
          headlines: readHeadlineFile(opts.file),
        });
        return `Stored ${result.added} new headlines for ${result.symbol} (${result.stored} in all). Backtest with --param minSentiment=VALUE to filter entries on them.`;
      });
    });

  sentiment
    .command('show')
    .description('A symbol’s stored headlines with their scores.')
    .requiredOption('--symbol <symbol>', 'the symbol')
    .option('--data-dir <dir>', 'folder of the database (default: the app’s data folder)', defaultDataDir())
    .action(async (opts: { symbol: string; dataDir: string }, command: Command) => {
      await run(command, opts.dataDir, async (app) => {
        const result = await dispatch(app, 'sentiment.series', { symbol: opts.symbol });
        if (result.headlines.length === 0) return `No headlines are stored for ${opts.symbol}.`;
        return result.headlines
          .map(
            (headline) =>
              `${headline.publishedAt.slice(0, 10)}  ${headline.score.toFixed(2).padStart(5)}  ${headline.title}`,
          )
          .join('\n');
      });
    });
  return sentiment;
}

async function dispatch<N extends CallName>(app: App, name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await app.dispatch(name, input);
  if (!result.ok) throw new AutobotError(result.error.code, result.error.message);
  return result.value as CallOutput<N>;
}
