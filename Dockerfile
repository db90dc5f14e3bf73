# Build stage: install everything, compile TypeScript and bundle what ships
# (scripts/bundle.mjs; the generated files are committed).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# --ignore-scripts: the project's prepare step only sets up the test runner.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json plugin.spec.yaml ./
COPY scripts/bundle.mjs ./scripts/
COPY src ./src
RUN npm run build

# Runtime stage: the two bundled command lines (plugin and simulator) with their shared chunks,
# the spec and the help. The bundles carry their dependencies, so there is no
# node_modules; nothing here runs npm, so npm and corepack go.
FROM node:24-bookworm-slim
ENV NODE_ENV=production
# Young-generation semi-spaces of 16 MiB. Node 24 sizes them from the host's memory, so on a
# large host a busy server grows to about 250 MB. 16 MiB holds the requests in flight at
# concurrency 16, which then die young: against 8 MiB, a quarter more create_incident
# per second and a fifth less CPU each, for about 15 MB more RSS (npm run bench).
ENV NODE_OPTIONS="--max-semi-space-size=16"
# npm and corepack: unused at run time, and a scanner would report their bundled packages.
# Where a trigger may keep its checkpoint (TRIGGER_STATE_FILE), and Node's compile cache:
# owned by the user that runs and by group 0 with the same rights, so that a platform running
# the container as an arbitrary uid in group 0 (OpenShift) can write them too.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
           /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
 && mkdir -p /var/lib/ivanti-plugin /var/cache/ivanti-plugin \
 && chown node:0 /var/lib/ivanti-plugin /var/cache/ivanti-plugin \
 && chmod g=u /var/lib/ivanti-plugin /var/cache/ivanti-plugin
# The trigger's state outlives the container.
VOLUME ["/var/lib/ivanti-plugin"]
WORKDIR /app
COPY package.json plugin.spec.yaml help.md ./
COPY --from=build /app/dist/cli.js ./dist/
COPY --from=build /app/dist/chunks ./dist/chunks
COPY --from=build /app/dist/simulator/cli.js ./dist/simulator/
# Orchestrators that run InsightConnect plugins read the spec at the image's root.
ADD ./plugin.spec.yaml /plugin.spec.yaml
# Node's compile cache, made here: a step in a fresh container starts from compiled code
# instead of compiling the bundle it loads. `run` with an empty message loads the plugin
# and stops at the envelope check.
ENV NODE_COMPILE_CACHE=/var/cache/ivanti-plugin/compile
USER node
RUN node dist/cli.js info >/dev/null && { echo '{}' | node dist/cli.js run >/dev/null 2>&1 || true; } \
 && test -n "$(ls -A "$NODE_COMPILE_CACHE")"
EXPOSE 10001
# The slim image has no curl: ask Node itself, on the port the server listens on (PLUGIN_PORT).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PLUGIN_PORT || 10001) + '/api/v1/status').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["http"]
# Labels last: a new revision or build time rebuilds nothing above.
ARG VERSION=2.0.0
# Where the source lives, its commit and the build time: set by the build, e.g.
#   --build-arg SOURCE=https://git.example.com/icon-ivanti-service-manager
#   --build-arg REVISION="$(git rev-parse HEAD)" --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
ARG SOURCE=https://github.com/icon-plugins/icon-ivanti-service-manager
ARG REVISION=
ARG CREATED=
LABEL org.opencontainers.image.title="Ivanti Service Manager plugin" \
      org.opencontainers.image.description="InsightConnect-style plugin for Ivanti Service Manager incidents and journal notes, with an ISM simulator" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.vendor="community" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.licenses="MIT"
