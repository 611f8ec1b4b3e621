/**
 * A declared route's inputs as the app's OpenAPI document describes them: its path parameters, and the JSON schemas
 * of its query, headers and JSON body. The route fuzzer and the site matrix both build their requests from these.
 */
import type { JsonSchema } from './inputs.js';

interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema: JsonSchema;
}

interface RequestBody {
  content?: Record<string, { schema?: JsonSchema }>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: RequestBody }>>;
}

export interface RouteInputs {
  readonly pathParams: string[];
  readonly query: JsonSchema | undefined;
  readonly headers: JsonSchema | undefined;
  readonly body: JsonSchema | undefined;
}

function objectOf(parameters: Parameter[]): JsonSchema | undefined {
  if (!parameters.length) return undefined;
  return {
    type: 'object',
    properties: Object.fromEntries(parameters.map((p) => [p.name, p.schema])),
    required: parameters.filter((p) => p.required).map((p) => p.name),
  };
}

/** Reads the document once; the answer describes any route (`/sites/:siteId` is OpenAPI's `/sites/{siteId}`). */
export function routeInputsOf(app: {
  swagger(): unknown;
}): (route: { method: string; url: string }) => RouteInputs {
  const doc = app.swagger() as OpenApiDocument;
  return (route) => {
    const openApiPath = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const op = (doc.paths[openApiPath] ?? doc.paths[`${openApiPath}/`])?.[route.method.toLowerCase()];
    const parameters = op?.parameters ?? [];
    return {
      pathParams: [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!),
      query: objectOf(parameters.filter((p) => p.in === 'query')),
      headers: objectOf(parameters.filter((p) => p.in === 'header')),
      body: op?.requestBody?.content?.['application/json']?.schema,
    };
  };
}
