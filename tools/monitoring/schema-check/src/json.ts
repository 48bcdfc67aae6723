// The types each dashboard file must satisfy. generate.mjs writes every dashboards/*.json as a TypeScript
// object literal followed by `satisfies`, so tsc --strict checks it field by field, excess properties included.
import type { DataQuery, Dashboard, FieldConfigSource, Panel, RowPanel } from '@grafana/schema';
import type * as BarGauge from '@grafana/schema/dist/esm/raw/composable/bargauge/panelcfg/x/BarGaugePanelCfg_types.gen';
import type * as Stat from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type * as Text from '@grafana/schema/dist/esm/raw/composable/text/panelcfg/x/TextPanelCfg_types.gen';
import type * as TimeSeries from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';

/**
 * A schema type as it appears in JSON. The schema declares some fields as TypeScript string enums
 * (`ThresholdsMode`, `FieldColorModeId`, `MappingType`, `BigValueColorMode`…); JSON can only hold their values,
 * so a string enum becomes the union of its values (`ThresholdsMode` → "absolute" | "percentage"). Everything
 * else is unchanged: numeric enums keep their members, required fields stay required, optional stay optional.
 */
export type JsonOf<T> =
  T extends string ? `${T}`
  : T extends number | boolean | null | undefined ? T
  : T extends ReadonlyArray<infer E> ? Array<JsonOf<E>>
  : T extends object ? { [K in keyof T]: JsonOf<T[K]> }
  : T;

/**
 * A Prometheus query target. The schema leaves targets to each data source plugin and @grafana/schema
 * publishes no Prometheus query type, so this is the plugin's query model (public/app/plugins/datasource/
 * prometheus dataquery): the common DataQuery plus the fields these dashboards use.
 */
export interface PrometheusQuery extends DataQuery {
  datasource?: { type: 'prometheus'; uid: string };
  editorMode?: 'code' | 'builder';
  expr: string;
  format?: 'time_series' | 'table' | 'heatmap';
  instant?: boolean;
  interval?: string;
  legendFormat?: string;
  range?: boolean;
}

type FieldConfigWithCustom<C> = Omit<FieldConfigSource, 'defaults'> & {
  defaults: FieldConfigSource['defaults'] & { custom?: C };
};

/** A panel with its plugin's options (and field config) checked against that plugin's published schema. */
type PanelOf<Type extends string, Options, Custom = Record<string, never>> = Omit<Panel, 'type' | 'options' | 'fieldConfig' | 'targets'> & {
  type: Type;
  options: Options;
  fieldConfig?: FieldConfigWithCustom<Custom>;
  targets?: PrometheusQuery[];
};

// One type per panel plugin the dashboards use; generate.mjs picks the type by the panel's "type" field and fails
// on a plugin that is not listed here.
export type TimeseriesPanel = JsonOf<PanelOf<'timeseries', TimeSeries.Options, TimeSeries.FieldConfig>>;
export type StatPanel = JsonOf<PanelOf<'stat', Stat.Options>>;
export type BargaugePanel = JsonOf<PanelOf<'bargauge', BarGauge.Options>>;
export type TextPanel = JsonOf<PanelOf<'text', Text.Options>>;

export type CheckedRow = JsonOf<RowPanel>;

export type CheckedDashboard = JsonOf<Dashboard>;
