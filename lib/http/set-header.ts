interface HeaderWriter {
  header?: (name: string, value: string) => unknown;
  setHeader?: (name: string, value: string) => unknown;
}

/** Sets a response header on an Express response, a Fastify reply or a bare `ServerResponse`. */
export function setResponseHeader(response: object | undefined, name: string, value: string): void {
  const writer = response as HeaderWriter | undefined;
  if (typeof writer?.header === 'function') writer.header(name, value);
  else if (typeof writer?.setHeader === 'function') writer.setHeader(name, value);
}
