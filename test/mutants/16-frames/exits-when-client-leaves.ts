// mutant: stops the whole server once a client has said goodbye ("that client is done, so are we")
// fails: clean-disconnect
// message: /stopped after a client closed its connection|exited with status 0\) while \w+ was connected.*process\.exit\(\)/s
// passes: echo, text-sizes
import { Connection, serveFrames } from './_frames.ts';

class LastGoodbye extends Connection {
  protected override answerClose(payload: Buffer): void {
    super.answerClose(payload);
    this.socket.on('close', () => process.exit(0));
  }
}
serveFrames(LastGoodbye);
