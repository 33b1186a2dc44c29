/** Serves a folder over HTTP (with Range) through the fault server, as an HTTP mirror would. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { sendBytes, sendStatus, startServer, type FaultServer, type SendOptions } from './fault-server.ts';

export function serveFolder(root: string, optionsFor: (urlPath: string) => SendOptions = () => ({})): Promise<FaultServer> {
  return startServer((req, res, log) => {
    const file = path.join(root, log.path);
    if (!file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) return sendStatus(res, log, 404);
    return sendBytes(req, res, log, readFileSync(file), optionsFor(log.path));
  });
}
