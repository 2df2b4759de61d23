// A Hookwise process for the fault suite: the compiled service (dist/) unchanged, plus, in
// processes that run processors, a handler for the suite's event type standing in for an agent: it
// waits FAULT_HANDLER_DELAY_MS (a slow model), then calls the side-effect counter once with the
// event id as Idempotency-Key (a tool calling an API). Test-only code stays out of src/.
import { start } from '../../../dist/bootstrap.js';
import { loadConfig } from '../../../dist/config/load-config.js';
import { migrateIfEnabled } from '../../../dist/core/database/migrate-on-start.js';
import { EventHandlerRegistry } from '../../../dist/core/processing/event-handler.registry.js';
import { settingsClasses } from '../../../dist/settings-classes.js';

const config = loadConfig(process.env, settingsClasses);
await migrateIfEnabled(config, (line) => console.log(`[migrate] ${line}`));
const app = await start(config);
const delay = Number(process.env.FAULT_HANDLER_DELAY_MS ?? 0);
const counterUrl = process.env.FAULT_COUNTER_URL;

if (config.APP_ROLE !== 'api') {
  app.get(EventHandlerRegistry).register({
    name: 'fault-side-effect',
    provider: 'github',
    handles: (type) => type.startsWith('hookwise_fault'),
    handle: async (event) => {
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      const response = await fetch(counterUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': event.id },
        body: JSON.stringify({ event: event.id }),
      });
      if (!response.ok) throw new Error(`side effect failed with ${response.status}`);
    },
  });
}
process.send?.('ready');
