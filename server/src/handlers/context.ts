/** What every request handler gets: the connection, the service, the open documents and the current options. */

import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisOptions, MeshlensService } from '../../../core/src/index';

export interface HandlerContext {
  connection: Connection;
  service: MeshlensService;
  documents: TextDocuments<TextDocument>;
  options: () => AnalysisOptions;
  syncedFile: (uri: string) => { file: string; document: TextDocument } | undefined;
  /** A file a manifest references, read through the platform (confined to the workspace folders); undefined when refused. */
  readReferencedFile: (path: string) => string | undefined;
}
