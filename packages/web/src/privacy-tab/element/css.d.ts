// esbuild's text loader turns the element's stylesheet into a string at bundle time.
declare module '*.css' {
  const css: string;
  export default css;
}
