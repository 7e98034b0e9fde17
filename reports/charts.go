package reports

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"
)

// lineStyle says how one series of a line frame is drawn.
type lineStyle struct {
	Name   string
	Dashed bool // for interval bounds
}

// lineFrame is the chart of a filtered block: a line per series over months,
// in percent. The page script fills in the axis and the data.
func lineFrame(series []lineStyle) *charts.Line {
	l := charts.NewLine()
	l.SetGlobalOptions(
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Type: "scroll", Top: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "10", Right: "24", Bottom: "10", Top: "40", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Min: 0, AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}),
	)
	l.SetXAxis([]string{})
	for _, s := range series {
		so := []charts.SeriesOpts{charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(!s.Dashed), ConnectNulls: opts.Bool(false)})}
		if s.Dashed {
			so = append(so, charts.WithLineStyleOpts(opts.LineStyle{Type: "dashed", Width: 1, Color: "#8a94a6"}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: "#8a94a6"}))
		}
		l.AddSeries(s.Name, []opts.LineData{}, so...)
	}
	return l
}

// barSeries is one series of a bar chart, values in the chart's unit.
type barSeries struct {
	Name   string
	Values []float64
}

// rankBar draws horizontal bars, the first label on top. unit is appended
// to axis labels ("%" for shares, "" for counts or lifts).
func rankBar(labels []string, series []barSeries, unit string) *charts.Bar {
	b := charts.NewBar()
	b.SetGlobalOptions(
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(series) > 1), Top: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "10", Right: "30", Bottom: "10", Top: "30", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", AxisLabel: &opts.AxisLabel{Formatter: types.FuncStr("{value}" + unit)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true)}),
	)
	b.SetXAxis(labels).XYReversal()
	for _, s := range series {
		data := make([]opts.BarData, len(s.Values))
		for i, v := range s.Values {
			data[i] = opts.BarData{Value: v}
		}
		b.AddSeries(s.Name, data)
	}
	return b
}

// barHeight is a chart height that fits n horizontal bars.
func barHeight(n int) int {
	h := 60 + 28*n
	if h < 160 {
		h = 160
	}
	return h
}
