package reports

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"strings"
)

// The ECharts files are the npm package's dist/echarts.min.js, LICENSE, NOTICE
// and licenses/LICENSE-d3, unmodified; ECHARTS_VERSION records where they
// came from and the checksum that verifyECharts checks.
//
//go:embed assets/echarts.min.js assets/LICENSE assets/NOTICE assets/LICENSE-d3 assets/ECHARTS_VERSION assets/report.js assets/report.css
var assetFS embed.FS

// assetDir is the folder, beside the pages, that holds the shared assets.
const assetDir = "assets"

// assetFiles lists the embedded files written to DIR/assets.
var assetFiles = []string{
	"echarts.min.js", "LICENSE", "NOTICE", "LICENSE-d3", "ECHARTS_VERSION", "report.js", "report.css",
}

// echartsManifest is the parsed assets/ECHARTS_VERSION.
type echartsManifest struct {
	Version string
	SHA256  string
}

func readManifest() (echartsManifest, error) {
	b, err := assetFS.ReadFile("assets/ECHARTS_VERSION")
	if err != nil {
		return echartsManifest{}, fmt.Errorf("read echarts manifest: %w", err)
	}
	var m echartsManifest
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch f[0] {
		case "version":
			m.Version = f[1]
		case "sha256":
			m.SHA256 = f[1]
		}
	}
	if m.Version == "" || m.SHA256 == "" {
		return m, fmt.Errorf("echarts manifest: missing version or sha256")
	}
	return m, nil
}

// verifyECharts checks the embedded echarts.min.js against the recorded
// checksum and version, so a modified or swapped copy is never shipped.
func verifyECharts() (echartsManifest, error) {
	m, err := readManifest()
	if err != nil {
		return m, err
	}
	js, err := assetFS.ReadFile("assets/echarts.min.js")
	if err != nil {
		return m, fmt.Errorf("read echarts: %w", err)
	}
	sum := sha256.Sum256(js)
	if got := hex.EncodeToString(sum[:]); got != m.SHA256 {
		return m, fmt.Errorf("echarts.min.js checksum %s, recorded %s", got, m.SHA256)
	}
	if !bytes.Contains(js, []byte(`version="`+m.Version+`"`)) {
		return m, fmt.Errorf("echarts.min.js is not version %s", m.Version)
	}
	return m, nil
}

// assetOutputs returns the asset files to write, keyed by path relative to
// the report directory.
func assetOutputs() (map[string][]byte, error) {
	if _, err := verifyECharts(); err != nil {
		return nil, err
	}
	out := make(map[string][]byte, len(assetFiles))
	for _, name := range assetFiles {
		b, err := assetFS.ReadFile("assets/" + name)
		if err != nil {
			return nil, fmt.Errorf("read asset %s: %w", name, err)
		}
		out[assetDir+"/"+name] = b
	}
	return out, nil
}
