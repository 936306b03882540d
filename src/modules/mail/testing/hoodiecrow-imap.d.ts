/** Types for hoodiecrow-imap, a scriptable IMAP server used as the counterpart of imapflow in tests. */
declare module 'hoodiecrow-imap' {
  import type { Server } from 'node:net';

  export interface HoodiecrowMessage {
    raw: string;
    flags?: string[];
    internaldate?: string;
    uid?: number;
  }
  export interface HoodiecrowFolder {
    messages?: HoodiecrowMessage[];
    folders?: Record<string, HoodiecrowFolder>;
    separator?: string;
  }
  export interface HoodiecrowServer {
    server: Server;
    listen(port: number, host: string, callback: () => void): void;
    close(callback?: () => void): void;
    getMailbox(path: string): { messages: (HoodiecrowMessage & { uid: number; flags: string[] })[] } | undefined;
  }
  export default function hoodiecrow(options: { plugins?: string[]; storage?: Record<string, HoodiecrowFolder>; users?: Record<string, { password: string }> }): HoodiecrowServer;
}
