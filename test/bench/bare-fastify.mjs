// The bare Fastify server the start benchmark (section 8) compares `walkup serve` with: one
// route, nothing else. Listens on 127.0.0.1:$PORT.
import Fastify from 'fastify';

const app = Fastify();
app.get('/api/station', async () => ({ ok: true }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
