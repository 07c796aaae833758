/** The answer of a GraphQL request, as the e2e tests look at it. */
export interface GraphQLResponse<Data> {
  status: number;
  /** The answer's HTTP headers (e.g. `kansli-position`). */
  headers: Headers;
  data?: Data;
  errors?: Array<{ message: string; path?: string[]; extensions?: { code?: string; rule?: string; [key: string]: unknown } }>;
}

/**
 * The one GraphQL client of the end-to-end tests: every request goes through here, so authentication
 * (a bearer token) is added in one place.
 */
export class GraphQLTestClient {
  constructor(
    readonly url: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  /** The same client, sending `Authorization: Bearer <token>`. */
  withToken(token: string): GraphQLTestClient {
    return this.withHeaders({ authorization: `Bearer ${token}` });
  }

  /** The same client, sending these headers too. */
  withHeaders(headers: Record<string, string>): GraphQLTestClient {
    return new GraphQLTestClient(this.url, { ...this.headers, ...headers });
  }

  async request<Data = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<Data>> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResponse<Data>, 'status' | 'headers'>;
    return { status: response.status, headers: response.headers, ...body };
  }

  /** A request that must succeed: returns its data, or throws with the errors. */
  async ok<Data = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<Data> {
    const result = await this.request<Data>(query, variables);
    if (result.errors?.length || !result.data) {
      throw new Error(`GraphQL request failed: ${JSON.stringify(result.errors ?? result)}`);
    }
    return result.data;
  }
}
