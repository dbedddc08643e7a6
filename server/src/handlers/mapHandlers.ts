/**
 * The connectivity map requests: `meshlens/connectivityScopes` → the
 * namespaces and clusters a map can be drawn for (the client's picker);
 * `meshlens/connectivityMap` `{namespace?, cluster?}`
 * → `{map, svg, title}` (the core's model and its SVG drawing, tooltips with
 * workspace-relative files) or `{error}` (unknown cluster, a namespace without
 * workloads, parameters of the wrong type). The model keeps absolute files so
 * the client can open the rules behind an edge or a node. A request cancelled
 * before it runs is answered with RequestCancelled.
 */

import { RequestType, RequestType0, type ResponseError } from 'vscode-languageserver';
import { connectivityMap, connectivityScopes, isConnectivityError, mapTitle, relativeDisplay, renderConnectivitySvg, type ConnectivityQuery } from '../../../core/src/index';
import { CONNECTIVITY_MAP_REQUEST, CONNECTIVITY_SCOPES_REQUEST, type ConnectivityMapParams, type ConnectivityMapResponse, type ConnectivityScopesResponse } from '../../../protocol/src/messages';
import { cancelledError } from '../work';
import type { HandlerContext } from './context';

const CONNECTIVITY_SCOPES_TYPE = new RequestType0<ConnectivityScopesResponse, void>(CONNECTIVITY_SCOPES_REQUEST);
const CONNECTIVITY_MAP_TYPE = new RequestType<ConnectivityMapParams | null, ConnectivityMapResponse, void>(CONNECTIVITY_MAP_REQUEST);

export function registerMapHandlers(context: HandlerContext): void {
  const { connection, service } = context;
  connection.onRequest(CONNECTIVITY_SCOPES_TYPE, (token) => (token.isCancellationRequested ? cancelledError() : connectivityScopes(service.workspace)));
  connection.onRequest(CONNECTIVITY_MAP_TYPE, (params, token): ConnectivityMapResponse | ResponseError<void> => {
    if (token.isCancellationRequested) return cancelledError();
    const query: ConnectivityQuery = {};
    for (const key of ['namespace', 'cluster'] as const) {
      const value: unknown = params?.[key];
      if (value === undefined || value === null || value === '') continue;
      if (typeof value !== 'string') return { error: `${key} must be a string` };
      query[key] = value;
    }
    const map = connectivityMap(service.workspace, query, context.options());
    if (isConnectivityError(map)) return map;
    return { map, svg: renderConnectivitySvg(map, { display: relativeDisplay([...service.roots()]) }), title: mapTitle(map) };
  });
}
