/** What the webview host gives the page (acquireVsCodeApi may be called once). */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export const vscodeApi = (): VsCodeApi => acquireVsCodeApi();
