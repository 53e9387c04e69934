/*
 * Callgrind's client requests for Node (N-API): zero the counts at the start of a measured block and dump
 * them, labelled, at its end, so one process under `valgrind --tool=callgrind` gives an instruction count
 * per block (set-up, warm-up and start-up excluded). Outside valgrind every request is a no-op.
 * Built on demand by src/harness/callgrind-marks.ts with the system's C compiler.
 */
#include <node_api.h>
#include <valgrind/callgrind.h>

/* zero(): CALLGRIND_ZERO_STATS. */
static napi_value zero(napi_env env, napi_callback_info info) {
  (void)env;
  (void)info;
  CALLGRIND_ZERO_STATS;
  return NULL;
}

/* dump(label): CALLGRIND_DUMP_STATS_AT(label), which also zeroes the counts. */
static napi_value dump(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  char label[256] = "block";
  size_t length = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc >= 1)
    napi_get_value_string_utf8(env, argv[0], label, sizeof label, &length);
  CALLGRIND_DUMP_STATS_AT(label);
  return NULL;
}

/* running(): how many valgrinds the process runs under (0: natively). */
static napi_value running(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  napi_create_uint32(env, (uint32_t)RUNNING_ON_VALGRIND, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor properties[] = {
      {"zero", NULL, zero, NULL, NULL, NULL, napi_default, NULL},
      {"dump", NULL, dump, NULL, NULL, NULL, napi_default, NULL},
      {"running", NULL, running, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties);
  return exports;
}
