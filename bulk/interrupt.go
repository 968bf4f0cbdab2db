package bulk

import (
	"context"
	"errors"
	"io"
	"os"
	"sync"
	"time"
)

// Interruptible is hand-rolled: neither the standard library nor a kept
// library has a reader that a context ends while a Read blocks.

// Interruptible returns a reader of r that gives up as soon as ctx ends:
// its Read returns ctx's error at once, even while a Read of r blocks (a
// stalled pipe, a FIFO nobody writes to) or never stops giving data
// (/dev/zero). r is read on a goroutine of its own, a chunk ahead; when r
// is an *os.File that the system can poll (pipes, FIFOs), its read
// deadline ends a blocked Read too, so the goroutine ends; otherwise it
// ends with the next Read of r that returns.
//
// The Reader of this package reads only as fast as it is asked to, so a
// run over Interruptible input stops reading within moments of Ctrl-C or
// SIGTERM.
func Interruptible(ctx context.Context, r io.Reader) io.Reader {
	return &ctxReader{ctx: ctx, r: r}
}

// ctxChunk is what the reading goroutine hands over: data in a buffer of
// its own, and the error of the Read that gave it.
type ctxChunk struct {
	buf []byte
	n   int
	err error
}

type ctxReader struct {
	ctx  context.Context
	r    io.Reader
	once sync.Once
	data chan ctxChunk
	free chan []byte

	cur  ctxChunk // the chunk being handed out
	off  int
	err  error // r's error, once reached
	have bool  // cur holds data
}

const ctxChunkSize = 64 << 10

func (c *ctxReader) start() {
	c.data = make(chan ctxChunk)
	c.free = make(chan []byte, 2)
	c.free <- make([]byte, ctxChunkSize)
	c.free <- make([]byte, ctxChunkSize)
	if f, ok := c.r.(*os.File); ok {
		// Ends a Read that blocks on a pipe or FIFO; an error means the
		// file cannot be polled, and then Read does not block for long
		// (a regular file) or the goroutine stays until it returns.
		context.AfterFunc(c.ctx, func() { f.SetReadDeadline(time.Now()) })
	}
	go c.pump()
}

// pump reads r into free buffers and hands them over until r fails or
// ctx ends.
func (c *ctxReader) pump() {
	for {
		var buf []byte
		select {
		case buf = <-c.free:
		case <-c.ctx.Done():
			return
		}
		n, err := c.r.Read(buf)
		select {
		case c.data <- ctxChunk{buf, n, err}:
		case <-c.ctx.Done():
			return
		}
		if err != nil {
			return
		}
	}
}

// Read implements io.Reader.
func (c *ctxReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		if c.have {
			n := copy(p, c.cur.buf[c.off:c.cur.n])
			c.off += n
			if c.off == c.cur.n {
				c.have = false
				c.free <- c.cur.buf
			}
			return n, nil
		}
		if c.err != nil {
			return 0, c.err
		}
		if err := c.ctx.Err(); err != nil {
			return 0, err
		}
		c.once.Do(c.start)
		select {
		case <-c.ctx.Done():
			return 0, c.ctx.Err()
		case ch := <-c.data:
			c.err = ch.err
			if errors.Is(ch.err, os.ErrDeadlineExceeded) && c.ctx.Err() != nil {
				c.err = c.ctx.Err()
			}
			if ch.n > 0 {
				c.cur, c.off, c.have = ch, 0, true
			} else {
				c.free <- ch.buf
			}
		}
	}
}
