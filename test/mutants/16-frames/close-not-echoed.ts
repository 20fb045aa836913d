// mutant: ends the connection on a close frame without answering it
// fails: close
// message: /Case close-1000 .*but the server ended the TCP connection.*same code/s
// passes: echo, control-frames
import { Connection, serveFrames } from './_frames.ts';

class HangUp extends Connection {
  protected override answerClose(): void {
    this.closed = true;
    this.socket.end();
  }
}
serveFrames(HangUp);
