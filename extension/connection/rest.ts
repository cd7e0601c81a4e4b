import { createRestClient, type FetchLike, type RestClient } from '../../protocol/client/rest-client';

/** A REST client for one server on the extension host's fetch; `token` is read at each call. */
export function restClientFor(serverUrl: string, token?: () => string | undefined): RestClient {
  return createRestClient({ baseUrl: serverUrl, fetch: globalThis.fetch as FetchLike, token });
}
