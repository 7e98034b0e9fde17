package synth

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"runtime"
	"sync"
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
//
// Rows are decoded on all cores, a chunk of lines at a time; emit is called
// from the calling goroutine, one posting at a time, in input order. When
// ReadJSONL returns, nothing reads r any more: after an error it waits for
// a read of r in progress to return (at once for files; for a pipe, when
// its writer writes or closes it).
func ReadJSONL(ctx context.Context, r io.Reader, emit func(skilltrend.Posting) error) (RowErrors, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := runtime.GOMAXPROCS(0)
	work := make(chan *lineChunk, workers)
	order := make(chan *lineChunk, 2*workers) // chunks in input order
	pool := make(chunkPool, 2*workers+2)      // one per chunk that can be in flight
	var wg sync.WaitGroup
	var readErr error // set by the splitter before it closes order
	wg.Go(func() {
		defer close(work)
		defer close(order)
		readErr = splitLines(ctx, r, pool, func(c *lineChunk) bool {
			select {
			case order <- c:
			case <-ctx.Done():
				return false
			}
			select {
			case work <- c:
				return true
			case <-ctx.Done():
				return false
			}
		})
	})
	for range workers {
		wg.Go(func() {
			for c := range work {
				c.decode()
			}
		})
	}
	bad, err := emitChunks(ctx, order, pool, emit)
	cancel()
	for range order { // let the splitter finish
	}
	wg.Wait()
	if err == nil {
		err = readErr
	}
	return bad, err
}

// lineChunk is a run of consecutive input lines, decoded by one worker.
type lineChunk struct {
	first int    // line number of lines[0]
	data  []byte // the lines' bytes
	ends  []int  // lines[i] is data[ends[i-1]:ends[i]]
	long  []int  // numbers of the lines longer than MaxLineBytes (not in data)
	done  chan struct{}
	out   []decoded
}

// decoded is one non-blank line's outcome.
type decoded struct {
	line int
	p    skilltrend.Posting
	err  error
}

// chunkBytes and chunkLines bound a lineChunk.
const (
	chunkBytes = 1 << 20
	chunkLines = 4096
)

// splitLines reads r into chunks of lines and hands each to send, which
// reports false when the reader must stop. It returns the read error, or
// ctx's error when it stopped early.
func splitLines(ctx context.Context, r io.Reader, pool chunkPool, send func(*lineChunk) bool) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var long []byte // the row being assembled when it exceeds the buffer
	c := pool.get(1)
	flush := func(next int) bool {
		if len(c.ends) == 0 && len(c.long) == 0 {
			c.first = next
			return true
		}
		if !send(c) {
			return false
		}
		c = pool.get(next)
		return true
	}
	for line := 1; ; line++ {
		row, tooLong, err := readLine(br, &long)
		if err != nil && !errors.Is(err, io.EOF) {
			if !flush(line) {
				return fmt.Errorf("read jsonl: %w", ctx.Err())
			}
			return fmt.Errorf("read jsonl line %d: %w", line, err)
		}
		if line == 1 {
			row = bytes.TrimPrefix(row, []byte("\xef\xbb\xbf"))
		}
		if tooLong {
			c.long = append(c.long, line)
			row = nil
		}
		// Every line keeps its place, blank or too long, so that line
		// numbers follow from the chunk's first line.
		c.data = append(c.data, bytes.TrimSpace(row)...)
		c.ends = append(c.ends, len(c.data))
		if errors.Is(err, io.EOF) {
			if !flush(line + 1) {
				return fmt.Errorf("read jsonl: %w", ctx.Err())
			}
			return nil
		}
		if len(c.data) >= chunkBytes || len(c.ends) >= chunkLines {
			if !flush(line + 1) {
				return fmt.Errorf("read jsonl: %w", ctx.Err())
			}
		}
	}
}

// chunkPool keeps the chunks emitted for reuse: allocating every chunk's
// line bytes and decoded rows anew was a fifth of all that an import of a
// million postings allocated.
type chunkPool chan *lineChunk

// get returns an empty chunk whose first line is first.
func (p chunkPool) get(first int) *lineChunk {
	select {
	case c := <-p:
		c.first, c.data, c.ends, c.long, c.out = first, c.data[:0], c.ends[:0], c.long[:0], c.out[:0]
		c.done = make(chan struct{})
		return c
	default:
		return &lineChunk{first: first, data: make([]byte, 0, chunkBytes+chunkBytes/4), done: make(chan struct{})}
	}
}

// put offers an emitted chunk for reuse. Its rows are cleared so that the
// pool does not keep their postings alive.
func (p chunkPool) put(c *lineChunk) {
	clear(c.out)
	select {
	case p <- c:
	default:
	}
}

// decode decodes every line of the chunk into out and closes done.
func (c *lineChunk) decode() {
	defer close(c.done)
	if cap(c.out) < len(c.ends) {
		c.out = make([]decoded, 0, len(c.ends))
	}
	start, long := 0, c.long
	for i, end := range c.ends {
		line := c.first + i
		row := c.data[start:end]
		start = end
		switch {
		case len(long) > 0 && long[0] == line:
			long = long[1:]
			c.out = append(c.out, decoded{line: line, err: fmt.Errorf("row longer than %d bytes", MaxLineBytes)})
		case len(row) > 0:
			p, err := decodePosting(row)
			c.out = append(c.out, decoded{line: line, p: p, err: err})
		}
	}
}

// emitChunks emits the decoded chunks in order until order closes, ctx is
// done or emit fails.
func emitChunks(ctx context.Context, order <-chan *lineChunk, pool chunkPool, emit func(skilltrend.Posting) error) (RowErrors, error) {
	var bad RowErrors
	for c := range order {
		select {
		case <-c.done:
		case <-ctx.Done():
			return bad, fmt.Errorf("read jsonl: %w", ctx.Err())
		}
		for _, d := range c.out {
			if d.err != nil {
				bad = append(bad, RowError{Line: d.line, Err: d.err})
				continue
			}
			if err := emit(d.p); err != nil {
				return bad, fmt.Errorf("read jsonl line %d: %w", d.line, err)
			}
		}
		pool.put(c) // the postings emitted do not point into its bytes
		if err := ctx.Err(); err != nil {
			return bad, fmt.Errorf("read jsonl: %w", err)
		}
	}
	return bad, nil
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

// plainRow reports whether row is valid UTF-8 without control bytes. It
// steps over plain ASCII eight bytes at a time: a byte below 0x20 gets its
// top bit set by the subtraction, a byte from 0x80 has it already.
func plainRow(row []byte) bool {
	i := 0
	for ; i+8 <= len(row); i += 8 {
		x := binary.LittleEndian.Uint64(row[i:])
		if (x-0x2020202020202020|x)&0x8080808080808080 != 0 {
			break
		}
	}
	for _, c := range row[i:] {
		if c < 0x20 {
			return false
		}
	}
	// row[:i] is ASCII, so the whole row is valid exactly when the rest is.
	return utf8.Valid(row[i:])
}
