// Where a venue gets its OAuth access token. The venue never stores tokens: it asks for the current
// one when it authenticates an account, and for a refresh once when cTrader says the token expired
// or was invalidated. The OAuth side (core/oauth, keychain slots, single-flight refresh) implements it.
export interface TokenSource {
  accessToken(): Promise<string>;
  /** Refreshes (one refresh at a time however many callers) and returns the new access token. */
  refresh(): Promise<string>;
}

export interface ApplicationCredentials {
  clientId: string;
  clientSecret: string;
}
