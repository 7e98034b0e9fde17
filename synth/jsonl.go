package synth

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"

	"github.com/skilltrend/skilltrend"
)

// MaxLineBytes bounds one JSON Lines row; longer rows are skipped as bad.
const MaxLineBytes = 16 << 20

// WriteJSONL writes postings as JSON Lines, one skilltrend.Posting object a
// line (the format ReadJSONL reads). It accepts a slice through
// slices.Values or a Stream, so a corpus never has to fit in memory.
func WriteJSONL(w io.Writer, postings iter.Seq[skilltrend.Posting]) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	var line []byte
	for p := range postings {
		var err error
		if line, err = appendPosting(line[:0], &p); err != nil {
			return fmt.Errorf("write posting %s/%s: %w", p.Source, p.SourceID, err)
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return fmt.Errorf("write postings: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write postings: %w", err)
	}
	return nil
}

// ReadJSONL reads JSON Lines of skilltrend.Posting and calls emit for each
// valid posting in input order. Blank lines are ignored; a row that is not
// a JSON object of a posting, or lacks source, source_id or both title and
// description, is skipped and reported in RowErrors with its line number.
// The error is non-nil only when reading fails, ctx is done or emit fails.
func ReadJSONL(ctx context.Context, r io.Reader, emit func(skilltrend.Posting) error) (RowErrors, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var bad RowErrors
	var long []byte // the row being assembled when it exceeds the buffer
	for line := 1; ; line++ {
		if line%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return bad, fmt.Errorf("read jsonl: %w", err)
			}
		}
		row, tooLong, err := readLine(br, &long)
		if err != nil && !errors.Is(err, io.EOF) {
			return bad, fmt.Errorf("read jsonl line %d: %w", line, err)
		}
		eof := errors.Is(err, io.EOF)
		if line == 1 {
			row = bytes.TrimPrefix(row, []byte("\xef\xbb\xbf"))
		}
		row = bytes.TrimSpace(row)
		switch {
		case tooLong:
			bad = append(bad, RowError{Line: line, Err: fmt.Errorf("row longer than %d bytes", MaxLineBytes)})
		case len(row) > 0:
			p, perr := decodePosting(row)
			if perr != nil {
				bad = append(bad, RowError{Line: line, Err: perr})
				break
			}
			if err := emit(p); err != nil {
				return bad, fmt.Errorf("read jsonl line %d: %w", line, err)
			}
		}
		if eof {
			return bad, nil
		}
	}
}

// readLine returns the next line without its newline. Lines longer than
// MaxLineBytes are consumed and reported as tooLong.
func readLine(br *bufio.Reader, buf *[]byte) (line []byte, tooLong bool, err error) {
	*buf = (*buf)[:0]
	for {
		chunk, err := br.ReadSlice('\n')
		if len(*buf)+len(chunk) > MaxLineBytes {
			tooLong = true
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			if !tooLong {
				*buf = append(*buf, chunk...)
			}
			continue
		}
		if tooLong {
			return nil, true, err
		}
		if len(*buf) == 0 {
			return chunk, false, err // no copy: chunk is valid until the next read
		}
		*buf = append(*buf, chunk...)
		return *buf, false, err
	}
}

func decodePosting(row []byte) (skilltrend.Posting, error) {
	var p skilltrend.Posting
	if row[0] != '{' {
		return p, errors.New("not a JSON object")
	}
	// goccy/go-json decodes about nine times faster than encoding/json,
	// which matters at a million rows; encoding/json, the reference, words
	// the error of a bad row (FuzzDecodeMatchesEncodingJSON keeps them in step).
	// Rows with invalid UTF-8 or control bytes go to encoding/json, which
	// replaces bad bytes with U+FFFD and rejects raw control characters in
	// strings, where go-json keeps both.
	if !plainRow(row) || gojson.Unmarshal(row, &p) != nil {
		p = skilltrend.Posting{}
		if err := json.Unmarshal(row, &p); err != nil {
			return p, fmt.Errorf("decode posting: %w", err)
		}
	}
	if err := validate(&p); err != nil {
		return p, err
	}
	return p, nil
}

// plainRow reports whether row is valid UTF-8 without control bytes.
func plainRow(row []byte) bool {
	for _, c := range row {
		if c < 0x20 {
			return false
		}
	}
	return utf8.Valid(row)
}
