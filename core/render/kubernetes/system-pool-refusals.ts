// The CEL of the system pool's admission policy (system-pool-admission.ts), alone so that the tenant-isolation
// proofs, which recognise the factory's own refusals by these exact expressions, read them without the renderers.

/** The CEL that refuses a toleration of a taint with this key: by the key, or by an empty key that tolerates every taint. */
export function tolerationRefusal(key: string): string {
  return `!has(object.spec.tolerations) || object.spec.tolerations.all(t, (has(t.key) && t.key != '') ? t.key != '${key}' : !(has(t.operator) && t.operator == 'Exists'))`;
}

/** The CEL that refuses a node selector of the pool label's value. */
export function selectorRefusal(label: string, value: string): string {
  return `!has(object.spec.nodeSelector) || !('${label}' in object.spec.nodeSelector) || object.spec.nodeSelector['${label}'] != '${value}'`;
}

/** The CEL that refuses a pod created with its node named. */
export const NODE_NAME_REFUSAL = "request.operation != 'CREATE' || !has(object.spec.nodeName) || object.spec.nodeName == ''";
