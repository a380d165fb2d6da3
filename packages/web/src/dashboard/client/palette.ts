// Okabe–Ito's colour-blind-safe set first, then further distinct hues for long enumerations.
const LIGHT = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#000000', '#8c564b', '#7f7f7f', '#17becf', '#bcbd22', '#9467bd', '#aec7e8', '#ff9896', '#98df8a', '#c5b0d5', '#c49c94', '#f7b6d2', '#dbdb8d'];
const DARK = ['#56b4e9', '#e69f00', '#35c29a', '#e08ec3', '#9bd2f2', '#ff7f3f', '#f0e442', '#e6e6e6', '#c49c94', '#a8a8a8', '#4fd6e6', '#dbdb5a', '#b99be0', '#aec7e8', '#ff9896', '#98df8a', '#c5b0d5', '#e0c4bc', '#f7b6d2', '#dbdb8d'];

/** Whether the page is in dark mode. */
export function prefersDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
}

/** The colour of the i-th series. */
export function seriesColor(i: number, dark = prefersDark()): string {
  const list = dark ? DARK : LIGHT;
  return list[i % list.length]!;
}

/** Colours of axes, grid and marks. */
export function inkColors(dark = prefersDark()): { text: string; grid: string; mark: string } {
  return dark ? { text: '#d4d4d8', grid: '#3f3f46', mark: '#f4f4f5' } : { text: '#3f3f46', grid: '#e4e4e7', mark: '#18181b' };
}
