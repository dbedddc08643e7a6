/**
 * meshlens language server. A thin adapter: it keeps the core's workspace in
 * step with open documents and files on disk, pulls settings, and converts
 * core results to LSP. The same server runs on Node (over stdio, `--stdio`,
 * for any editor, or Node IPC for VS Code; entry `node.ts`) and in a web
 * worker (entry `browser.ts`): it reaches files, chart downloads and git only
 * through the platform an entry installed (`platform.ts`).
 *
 * Diagnostics: pushed for every YAML file in the workspace (a scan on start
 * and on watched-file changes), so the Problems panel covers files never
 * opened; pull diagnostics are offered when the client asks for them with
 * `initializationOptions.diagnosticMode: "pull"`.
 */

import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  CodeActionKind,
  CodeLensRefreshRequest,
  DocumentDiagnosticReportKind,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  LSPErrorCodes,
  ResponseError,
  type DiagnosticServerCancellationData,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isInside, MeshlensService, onContainedError, suppressionFixes, type AnalysisOptions, type Diagnostic } from '../../core/src/index';
import { fixesToCodeActions, fixToWorkspaceEdit, toLspCompletion, toLspDiagnostic, toLspHover } from './convert';
import { chartDownloadSettings, excludePatterns, optionsFromSettings, schemaValidationMode, SettingIds, type MeshlensSettings } from './settings';
import { YamlExtensionCoverage, type CoveragePurpose } from './yamlExtension';
import { MODEL_CHANGED_NOTIFICATION, TRUST_CHANGED_NOTIFICATION, YAML_EXTENSION_CHANGED_NOTIFICATION, type TrustChangedParams } from '../../protocol/src/messages';
import { registerExtraHandlers } from './handlers/index';
import { Lifecycle } from './lifecycle';
import { serverPlatform } from './platform';
import { cancelledError, connectionStrategy, runInSlices, runStepsInSlices, ServerProgress, sliceUsed, yieldToEventLoop } from './work';

const platform = serverPlatform();
const { uriToKey, keyToUri } = platform;
const lifecycle = new Lifecycle();
const connectionOptions = { messageStrategy: lifecycle.strategy, connectionStrategy };
const connection = platform.createConnection(connectionOptions, lifecycle);
lifecycle.register(connection);
platform.attach(connection);
const documents = new TextDocuments(TextDocument);

let roots: string[] = [];
/** The workspace folders' URIs, as the client gave them. */
let platformFolderUris: string[] = [];
let supportsConfiguration = false;
let supportsWatchedFilesRegistration = false;
let supportsCodeLensRefresh = false;
let supportsWorkspaceFolders = false;
/** Sent after every full re-check with its counts: the client refreshes what it shows from the model. */
const MODEL_CHANGED = MODEL_CHANGED_NOTIFICATION;
let pullMode = false;
let settings: MeshlensSettings | null = null;
/** Rule pages bundled with the extension, where the platform has them: findings link there, so the links work offline. */
let docsBaseUrl = platform.docsBaseUrl({});
const withDocs = (value: AnalysisOptions): AnalysisOptions => (docsBaseUrl ? { ...value, docsBaseUrl } : value);
let options: AnalysisOptions = withDocs(optionsFromSettings(null));
/** What the Red Hat YAML extension validates and completes (from the client); see `yamlExtension.ts`. */
const yamlExtension = new YamlExtensionCoverage();

/**
 * Settings of each workspace folder (the `meshlens` section with the folder as scope: a folder's
 * `.vscode/settings.json` wins over the user's), by folder key; `settings`/`options` are the window's, used for
 * files in no folder and for workspace-wide views (workloads, the map, simulate).
 */
let folderSettings = new Map<string, { settings: MeshlensSettings | null; options: AnalysisOptions }>();

/** The settings that apply to a file: its innermost workspace folder's, else the window's. */
function settingsOf(file: string): { settings: MeshlensSettings | null; options: AnalysisOptions } {
  let best: string | undefined;
  for (const root of folderSettings.keys()) if (isInside(file, root) && (best === undefined || root.length > best.length)) best = root;
  return (best !== undefined ? folderSettings.get(best) : undefined) ?? { settings, options };
}

/** `options` for one file: its folder's settings; with `meshlens.schemaValidation: auto`, the kinds the YAML extension covers there are left to it. */
function optionsFor(file: string, purpose: CoveragePurpose): AnalysisOptions {
  const scoped = settingsOf(file);
  if (!yamlExtension.active || schemaValidationMode(scoped.settings) !== 'auto') return scoped.options;
  const kinds = yamlExtension.deferredKinds(file, service.workspace.getFile(file)?.text, purpose);
  return kinds.length > 0 ? { ...scoped.options, schemaDeferredKinds: kinds } : scoped.options;
}
let scanGeneration = 0;
/** Counts changes of what analysis options depend on (settings, the YAML extension's coverage): work begun before one is stale. */
let settingsVersion = 0;

/** Chart downloads for values checks of any chart: only with `meshlens.charts.download` on in a trusted workspace (Node only). */
const chartDownloader = platform.charts;
/** From the client (`initializationOptions.trusted`, `meshlens/trustChanged`); absent means untrusted. */
let workspaceTrusted = false;

/** Reads a workspace YAML file; a larger one is read only up to the limit, so the core reports it as too large. */
function readWorkspaceFile(file: string): Promise<string | undefined> {
  return platform.readWorkspaceFile(file, options.maxFileBytes);
}

// Computations the core contained (a rule or an index that threw): logged once per place, with the stack.
const reportedContained = new Set<string>();
onContainedError((error) => {
  if (reportedContained.has(error.where)) return;
  reportedContained.add(error.where);
  connection.console.error(`internal error in ${error.where} (contained, reported once per place): ${error.stack ?? error.message}`);
});

const service = new MeshlensService({
  host: {
    chartFetcher: chartDownloader,
    readFile: (path) => platform.readReferencedFile(path, options.maxFileBytes),
  },
  maxFileBytes: () => options.maxFileBytes,
});

// A referenced file arrived that the platform could not read at once (the browser): what read it is stale.
platform.onDidReadReferencedFile?.(() => {
  service.hostFilesChanged();
  clearTimeout(pendingWorkspace);
  pendingWorkspace = setTimeout(() => void publishAll(), 100);
});

// A download landed or the download policy changed: what asked the fetcher is stale, so re-check the workspace.
chartDownloader?.onDidChange(() => {
  service.chartsChanged();
  clearTimeout(pendingWorkspace);
  pendingWorkspace = setTimeout(() => void publishAll(), 100);
});

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const capabilities = params.capabilities;
  supportsConfiguration = capabilities.workspace?.configuration === true;
  supportsWatchedFilesRegistration = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  supportsCodeLensRefresh = capabilities.workspace?.codeLens?.refreshSupport === true;
  supportsWorkspaceFolders = capabilities.workspace?.workspaceFolders === true;
  const init = (params.initializationOptions ?? {}) as { diagnosticMode?: string; settings?: MeshlensSettings; trusted?: unknown; cacheDir?: unknown; yamlExtension?: unknown; docsBaseUri?: unknown };
  yamlExtension.update(init.yamlExtension);
  workspaceTrusted = init.trusted === true;
  chartDownloader?.setCacheDir(typeof init.cacheDir === 'string' && init.cacheDir !== '' ? init.cacheDir : platform.defaultCacheDir?.());
  docsBaseUrl = platform.docsBaseUrl(init);
  options = withDocs(optionsFromSettings(settings));
  pullMode = init.diagnosticMode === 'pull' && capabilities.textDocument?.diagnostic !== undefined;
  if (init.settings) applySettings(init.settings);
  platformFolderUris = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
  platform.setWorkspaceFolders(platformFolderUris);
  const folders = params.workspaceFolders?.map((folder) => uriToKey(folder.uri)) ?? (params.rootUri ? [uriToKey(params.rootUri)] : []);
  roots = folders;
  service.setRoots(folders);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      completionProvider: { triggerCharacters: [':', ' ', '/', '-'], resolveProvider: false },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      codeLensProvider: { resolveProvider: false },
      ...(pullMode ? { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: false } } : {}),
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'meshlens-language-server', version: '0.1.0' },
  };
});

connection.onInitialized(async () => {
  // Folders added to or removed from the window: reads are confined to the new set, settings are per folder.
  // Registered before the first await, so a change sent right after `initialized` is not missed.
  if (supportsWorkspaceFolders) connection.workspace.onDidChangeWorkspaceFolders(async (event) => {
    const removed = new Set(event.removed.map((folder) => folder.uri));
    const uris = [...platformFolderUris.filter((uri) => !removed.has(uri)), ...event.added.map((folder) => folder.uri)];
    platformFolderUris = uris;
    platform.setWorkspaceFolders(uris);
    roots = uris.map((uri) => uriToKey(uri));
    service.setRoots(roots);
    if (supportsConfiguration) await refreshSettings();
    await scanWorkspace();
  });
  if (supportsConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: SettingIds.section });
    await refreshSettings();
  }
  if (supportsWatchedFilesRegistration) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml}' }] });
  }
  if (platform.limitation) connection.console.info(platform.limitation);
  await scanWorkspace();
});

function applySettings(value: MeshlensSettings | null): void {
  settingsVersion++;
  settings = value;
  options = withDocs(optionsFromSettings(value));
  applyChartDownloadPolicy();
}

function applyChartDownloadPolicy(): void {
  const charts = chartDownloadSettings(settings);
  if (!chartDownloader) return noteChartsUnavailable(charts.enabled);
  chartDownloader.setCacheSizeBytes(charts.cacheSizeBytes);
  chartDownloader.setAllowPrivateNetworks(charts.allowPrivateNetworks);
  chartDownloader.setPolicy({ enabled: charts.enabled, trusted: workspaceTrusted });
}

let chartsNoteShown = false;
/** `meshlens.charts.download` is on where the platform cannot download (a web worker): said once, in the editor. */
function noteChartsUnavailable(enabled: boolean): void {
  if (!enabled || chartsNoteShown) return;
  chartsNoteShown = true;
  void connection.window.showInformationMessage(
    'meshlens: `meshlens.charts.download` is on, but charts cannot be downloaded in the browser; values of charts other than Cilium are not checked here (they are in VS Code desktop and with the CLI).',
  );
}

// VS Code can grant trust while the server runs (revoking it restarts the window).
connection.onNotification(TRUST_CHANGED_NOTIFICATION, (params: TrustChangedParams | undefined) => {
  workspaceTrusted = params?.trusted === true;
  applyChartDownloadPolicy();
});

// The YAML extension was installed, enabled, removed or reconfigured: what meshlens leaves to it changed.
connection.onNotification(YAML_EXTENSION_CHANGED_NOTIFICATION, (report: unknown) => {
  yamlExtension.update(report);
  settingsVersion++;
  void publishAll();
});

async function refreshSettings(): Promise<void> {
  try {
    // One request: the window's section, then each folder's.
    const folders = [...roots];
    const items = [{ section: SettingIds.section }, ...folders.map((root) => ({ scopeUri: keyToUri(root), section: SettingIds.section }))];
    const values = (await connection.workspace.getConfiguration(items)) as (MeshlensSettings | null)[];
    folderSettings = new Map(folders.map((root, index) => [root, { settings: values[index + 1] ?? null, options: withDocs(optionsFromSettings(values[index + 1] ?? null)) }]));
    applySettings(values[0] ?? null);
  } catch {
    folderSettings = new Map();
    applySettings(null);
  }
}

connection.onDidChangeConfiguration(async (change) => {
  if (supportsConfiguration) await refreshSettings();
  else applySettings((change.settings as { meshlens?: MeshlensSettings } | undefined)?.meshlens ?? null);
  await scanWorkspace();
});

/**
 * Reads every YAML file under the workspace folders, yielding to the event loop between slices so requests are
 * served meanwhile, with a progress bar in the editor (reading, then checking; the check is the second half).
 */
async function scanWorkspace(): Promise<void> {
  const generation = ++scanGeneration;
  const progress = new ServerProgress(connection, 'meshlens: checking the workspace');
  try {
    const excluded = excludePatterns(settings);
    const walked = await platform.listYamlFiles(roots, excluded);
    reportSkipped(walked);
    const found = walked.files.map((entry) => entry.key);
    const present = new Set(found);
    for (const file of service.workspace.files()) {
      if (!present.has(file) && !documents.get(keyToUri(file))) {
        service.removeFile(file);
        publish(file, []);
      }
    }
    progress.report(0, `reading ${found.length} files`);
    for (let index = 0; index < found.length; index++) {
      if (generation !== scanGeneration) return;
      const file = found[index];
      if (documents.get(keyToUri(file))) continue; // the editor's text wins over the disk's
      const text = await readWorkspaceFile(file);
      if (text !== undefined) service.setFile(file, text);
      else if (service.removeFile(file)) publish(file, []);
      if (sliceUsed()) {
        progress.report((50 * (index + 1)) / found.length, `reading ${index + 1}/${found.length} files`);
        await yieldToEventLoop();
      }
    }
    if (generation === scanGeneration) await publishAll('scan', progress, generation);
  } finally {
    progress.done();
  }
}

/** The last segment of a file key (keys use `/` on every platform). */
function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/** Symlinks and special files the scan did not read, in the log (a few lines, once per scan). */
function reportSkipped(walked: Awaited<ReturnType<typeof platform.listYamlFiles>>): void {
  const shown = walked.skipped.slice(0, 20).map((entry) => `  ${entry.display}: ${entry.reason}`);
  if (shown.length === 0) return;
  const more = walked.skipped.length > shown.length ? `\n  … and ${walked.skipped.length - shown.length} more` : '';
  connection.console.info(`workspace scan skipped ${walked.skipped.length} entries:\n${shown.join('\n')}${more}`);
}

const lastPublished = new Map<string, string>();

function publish(file: string, diagnostics: Diagnostic[]): void {
  if (pullMode) return;
  const converted = diagnostics.map(toLspDiagnostic);
  const signature = JSON.stringify(converted);
  if (lastPublished.get(file) === signature) return;
  lastPublished.set(file, signature);
  void connection.sendDiagnostics({ uri: keyToUri(file), diagnostics: converted });
}

/**
 * Re-checks every file and tells the client the model changed, so views that
 * show derived state (the status bar, CodeLens) refresh without waiting for an
 * editor switch. `reason` goes to the log: a workspace scan at info level,
 * re-checks after edits at log level.
 */
async function publishAll(reason: 'scan' | 'change' = 'change', progress?: ServerProgress, generation?: number): Promise<void> {
  const started = performance.now();
  const files = service.workspace.files();
  const counts = { errors: 0, warnings: 0, other: 0 };
  for (let index = 0; index < files.length; index++) {
    // A newer scan started (settings changed): it re-checks everything, so this one stops.
    if (generation !== undefined && generation !== scanGeneration) return;
    // A big file takes several slices: the bar names it meanwhile.
    const diagnostics = await slicedDiagnostics(files[index], () => progress?.report(50 + (50 * index) / files.length, `checking ${index + 1}/${files.length} files (${baseName(files[index])})`));
    // The file or the workspace changed while it was checked: the re-check that change scheduled publishes it.
    if (diagnostics === undefined) continue;
    for (const diagnostic of diagnostics) {
      if (diagnostic.severity === 'error') counts.errors++;
      else if (diagnostic.severity === 'warning') counts.warnings++;
      else counts.other++;
    }
    publish(files[index], diagnostics);
    if (sliceUsed()) {
      progress?.report(50 + (50 * (index + 1)) / files.length, `checking ${index + 1}/${files.length} files`);
      await yieldToEventLoop();
    }
  }
  if (pullMode) connection.languages.diagnostics.refresh();
  const summary = { files: files.length, ...counts, durationMs: Math.round(performance.now() - started) };
  const line = `${reason === 'scan' ? 'workspace scan' : 're-check'}: ${summary.files} files, ${summary.errors} errors, ${summary.warnings} warnings, ${summary.other} info/hints in ${summary.durationMs} ms`;
  if (reason === 'scan') connection.console.info(line);
  else connection.console.log(line);
  void connection.sendNotification(MODEL_CHANGED, summary);
  if (supportsCodeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type);
}

/** A file's diagnostics in steps (documents, and the rules of each document), the event loop given back between slices. */
async function slicedDiagnostics(file: string, onSlice?: () => void): Promise<Diagnostic[] | undefined> {
  const analysed = service.workspace.getFile(file);
  const generation = service.workspace.generation;
  const settingsAtStart = settingsVersion;
  try {
    const result = await runStepsInSlices(
      service.diagnosticsSteps(file, optionsFor(file, 'diagnostics')),
      () => service.workspace.getFile(file) === analysed && service.workspace.generation === generation && settingsVersion === settingsAtStart,
      onSlice,
    );
    return result?.value;
  } catch (error) {
    connection.console.error(`analysis of ${file} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    return [];
  }
}

function safeDiagnostics(file: string): Diagnostic[] {
  try {
    return service.diagnostics(file, optionsFor(file, 'diagnostics'));
  } catch (error) {
    connection.console.error(`analysis of ${file} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    return [];
  }
}

// Edits: re-check the edited file after a short pause, then the rest of the
// workspace (cross-file findings) a little later. Stale runs are dropped.
const pendingFile = new Map<string, ReturnType<typeof setTimeout>>();
let pendingWorkspace: ReturnType<typeof setTimeout> | undefined;

function scheduleCheck(uri: string): void {
  const file = uriToKey(uri);
  clearTimeout(pendingFile.get(file));
  pendingFile.set(
    file,
    setTimeout(() => {
      pendingFile.delete(file);
      const document = documents.get(uri);
      if (document) service.setFile(file, document.getText());
      void slicedDiagnostics(file).then((diagnostics) => {
        // Undefined: edited again meanwhile, and that edit scheduled its own check.
        if (diagnostics) publish(file, diagnostics);
      });
      clearTimeout(pendingWorkspace);
      pendingWorkspace = setTimeout(() => void publishAll(), 400);
    }, 120),
  );
}

documents.onDidOpen((event) => scheduleCheck(event.document.uri));
documents.onDidChangeContent((event) => scheduleCheck(event.document.uri));
documents.onDidClose(async (event) => {
  // Back to the file on disk (or gone, when it was never saved).
  const file = uriToKey(event.document.uri);
  const text = await readWorkspaceFile(file);
  if (text !== undefined) service.setFile(file, text);
  else {
    service.removeFile(file);
    publish(file, []);
  }
  clearTimeout(pendingWorkspace);
  pendingWorkspace = setTimeout(() => void publishAll(), 200);
});

connection.onDidChangeWatchedFiles(async (change) => {
  for (const event of change.changes) {
    const file = uriToKey(event.uri);
    if (documents.get(event.uri)) continue;
    if (event.type === FileChangeType.Deleted) {
      service.removeFile(file);
      publish(file, []);
    } else {
      const text = await readWorkspaceFile(file);
      if (text !== undefined) service.setFile(file, text);
      else if (service.removeFile(file)) publish(file, []);
    }
  }
  await publishAll();
});

/** Makes sure the workspace holds the editor's current text before answering a request. */
function syncedFile(uri: string): { file: string; document: TextDocument } | undefined {
  const document = documents.get(uri);
  if (!document) return undefined;
  const file = uriToKey(uri);
  if (pendingFile.has(file) || service.workspace.getFile(file)?.text !== document.getText()) service.setFile(file, document.getText());
  return { file, document };
}

// Interactive requests: a request cancelled before it runs gets RequestCancelled (they are short and run in one piece).
connection.onHover((params, token) => {
  if (token.isCancellationRequested) return cancelledError();
  const synced = syncedFile(params.textDocument.uri);
  if (!synced) return null;
  const offset = synced.document.offsetAt(params.position);
  const result = service.hover(synced.file, offset, optionsFor(synced.file, 'hover'));
  const lines = service.workspace.getFile(synced.file)?.yaml.lineIndex;
  return result && lines ? toLspHover(result, lines) : null;
});

connection.onCompletion((params, token) => {
  if (token.isCancellationRequested) return cancelledError();
  const synced = syncedFile(params.textDocument.uri);
  if (!synced) return [];
  const offset = synced.document.offsetAt(params.position);
  const lines = service.workspace.getFile(synced.file)?.yaml.lineIndex;
  if (!lines) return [];
  return service.completions(synced.file, offset, optionsFor(synced.file, 'completion')).map((item) => toLspCompletion(item, lines));
});

/**
 * Code lenses of a big policy take long: they are computed in slices (hover and completion are answered in
 * between), stop on `$/cancelRequest`, and stop with ContentModified when the document changes meanwhile.
 */
connection.onCodeLens(async (params, token) => {
  if (token.isCancellationRequested) return cancelledError();
  const synced = syncedFile(params.textDocument.uri);
  const file = synced?.file ?? uriToKey(params.textDocument.uri);
  const analysed = service.workspace.getFile(file);
  const lines = analysed?.yaml.lineIndex;
  if (!lines) return [];
  // An edit in the editor (a new version) or in the workspace (a new file object) makes the lenses stale.
  const version = synced?.document.version;
  const current = () => service.workspace.getFile(file) === analysed && documents.get(params.textDocument.uri)?.version === version;
  const lenses = await runInSlices(service.codeLensSteps(file, settingsOf(file).options), token, current);
  if (!Array.isArray(lenses)) return lenses;
  return lenses.map((lens) => ({
    range: { start: lines.positionAt(lens.start), end: lines.positionAt(lens.end) },
    command: { title: lens.title, command: lens.command?.id ?? '', arguments: lens.command?.arguments },
  }));
});

connection.onCodeAction((params, token) => {
  if (token.isCancellationRequested) return cancelledError();
  const ours = params.context.diagnostics.filter((diagnostic) => diagnostic.source === 'meshlens');
  const actions = ours.flatMap(fixesToCodeActions);
  // After the fixes: "Disable <rule> for this line / for this file", one pair per rule.
  const synced = syncedFile(params.textDocument.uri);
  const file = synced?.file ?? uriToKey(params.textDocument.uri);
  const text = synced?.document.getText() ?? service.workspace.getFile(file)?.text;
  if (text === undefined) return actions;
  const seen = new Set<string>();
  for (const diagnostic of ours) {
    const rule = String(diagnostic.code ?? '');
    if (!rule || seen.has(rule)) continue;
    seen.add(rule);
    for (const fix of suppressionFixes(file, text, rule, diagnostic.range.start.line)) {
      actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: fixToWorkspaceEdit(fix) });
    }
  }
  return actions;
});

connection.languages.diagnostics.on((params, token) => {
  // The client asks again after a cancelled pull (retriggerRequest), as it would after a server-side cancel.
  if (token.isCancellationRequested) return new ResponseError<DiagnosticServerCancellationData>(LSPErrorCodes.RequestCancelled, 'request cancelled', { retriggerRequest: true });
  const synced = syncedFile(params.textDocument.uri);
  const file = synced?.file ?? uriToKey(params.textDocument.uri);
  return { kind: DocumentDiagnosticReportKind.Full, items: safeDiagnostics(file).map(toLspDiagnostic) };
});

const handlerContext = { connection, service, documents, options: () => options, syncedFile, readReferencedFile: (path: string) => platform.readReferencedFile(path, options.maxFileBytes) };
registerExtraHandlers(handlerContext);
platform.registerHandlers(handlerContext);

platform.onUncaughtError((error) => connection.console.error(`uncaught: ${error.stack ?? error.message}`));

documents.listen(connection);
connection.listen();
