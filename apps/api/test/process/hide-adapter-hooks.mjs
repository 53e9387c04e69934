// Module resolution hooks that make @berth/mongodb look uninstalled, so the service's handling of a
// missing adapter can be tested as a process even where every adapter is in the workspace.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === '@berth/mongodb') {
    const error = new Error(`Cannot find package '${specifier}' imported from ${context.parentURL}`);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return nextResolve(specifier, context);
}
