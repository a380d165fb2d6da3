import type { CatalogSpec, CompiledEvent } from '@candor/catalog';
import { compileCatalog } from '@candor/catalog';
import type { ChartConfig, DashboardConfig, SectionConfig, SectionSpec } from './dashboard-config.js';

/** Settings of {@link buildDashboardConfig} besides the catalog and sections. */
export interface DashboardConfigSettings {
  readonly apiBase: string;
  readonly defaults: DashboardConfig['defaults'];
}

function valueOrder(event: CompiledEvent, field: string): string[] {
  const schema = event.fields.find((f) => f.name === field)?.generalizer.schema as { type?: string; enum?: unknown[] } | undefined;
  if (schema?.type === 'boolean') return ['true', 'false'];
  return Array.isArray(schema?.enum) ? schema.enum.map(String) : [];
}

/**
 * Resolves chart declarations against the catalog the collector serves: charts of events or
 * fields the catalog does not declare are left out (a collector with its own catalog still
 * starts, showing what applies), and each chart learns the catalog's order of its values.
 */
export function buildDashboardConfig(catalog: CatalogSpec, sections: readonly SectionSpec[], settings: DashboardConfigSettings): DashboardConfig {
  const compiled = compileCatalog(catalog);
  const out: SectionConfig[] = [];
  for (const section of sections) {
    const charts: ChartConfig[] = [];
    for (const chart of section.charts) {
      const event = compiled.events.get(chart.event);
      if (event === undefined) continue;
      const names = chart.kind === 'consent' ? (chart.fields ?? []) : chart.kind === 'breakdown' ? [chart.field ?? ''] : [];
      const declared = names.filter((n) => event.fields.some((f) => f.name === n));
      if (declared.length !== names.length && chart.kind !== 'consent') continue;
      if (chart.kind === 'consent' && declared.length === 0) continue;
      const fieldLabels: Record<string, string> = {};
      for (const n of declared) fieldLabels[n] = compiled.categories.get(n)?.title ?? n;
      charts.push({
        ...chart,
        ...(chart.kind === 'consent' ? { fields: declared } : {}),
        order: chart.kind === 'breakdown' ? valueOrder(event, chart.field!) : [],
        fieldLabels,
      });
    }
    if (charts.length > 0) out.push({ ...section, charts });
  }
  return { apiBase: settings.apiBase, catalog: { id: compiled.id, version: compiled.version }, sections: out, defaults: settings.defaults };
}
