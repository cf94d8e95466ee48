import type { RouteDocs } from '@tend/plugin-sdk';

/** The reference describes itself too: both routes answer without a key (they hold no data). */
export const referenceRoutes: RouteDocs = {
  'GET /api/openapi.json': {
    summary: 'This document: the OpenAPI 3.1 description of the HTTP API',
    access: 'public',
    responses: {
      200: { description: 'The document', schema: { type: 'object', required: ['openapi', 'paths'] } },
    },
  },
  'GET /api/docs': {
    summary: 'The API reference page (Swagger UI, served by the engine)',
    access: 'public',
    responses: { 200: { description: 'The page', contentType: 'text/html' } },
  },
};
