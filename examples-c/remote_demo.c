/*
 * alice and bob chat through a separately started v2tim-server:
 *   V2TIM_SERVER_URL   (default ws://127.0.0.1:9000)
 *   V2TIM_SDK_APP_ID   (default 1400000001)
 *   V2TIM_SECRET_KEY   the app's key as given to the server's --app (default my-secret-key, as
 *                      in README's server command)
 * It runs any number of times against the same server. `make run-server` starts a server of
 * its own (demo-server.toml), runs this against it and stops it.
 */
#include "demo.h"

static const char *env_or(const char *name, const char *fallback) {
  const char *v = getenv(name);
  return v && v[0] ? v : fallback;
}

int main(void) {
  const char *url = env_or("V2TIM_SERVER_URL", "ws://127.0.0.1:9000");
  uint32_t app = (uint32_t)strtoul(env_or("V2TIM_SDK_APP_ID", "1400000001"), NULL, 10);
  return run_demo(app, env_or("V2TIM_SECRET_KEY", "my-secret-key"), url);
}
