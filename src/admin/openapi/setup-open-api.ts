import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const OPEN_API_PATH = 'docs';

/** OpenAPI document and UI at /docs (JSON at /docs-json): the admin API with bearer security. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Hookwise admin API')
    .setDescription(
      'The operator\'s view of the webhook ledger: events, agent runs and actions, replay, approvals, stats. ' +
        'Every /admin route needs `Authorization: Bearer <key>` with a key from ADMIN_API_KEYS.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A key from ADMIN_API_KEYS' })
    .build();
  SwaggerModule.setup(OPEN_API_PATH, app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: `${OPEN_API_PATH}-json`,
  });
}
