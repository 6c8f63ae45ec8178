package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// maxStreams bounds the live-list streams served at once.
const maxStreams = 512

// events streams newly indexed blocks to the browser as Server-Sent Events ("block"
// events with a BlockStat in JSON). The browser's EventSource reconnects by itself; the
// page reloads the list when it does, so a missed event is never a silently stale list.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming is not supported here", http.StatusInternalServerError)
		return
	}
	// Each stream holds a goroutine and a connection: cap them so that a flood of
	// EventSources cannot exhaust the process.
	if s.streams.Add(1) > maxStreams {
		s.streams.Add(-1)
		http.Error(w, "too many live streams; reload later", http.StatusServiceUnavailable)
		return
	}
	defer s.streams.Add(-1)
	ch, cancel := s.index.Subscribe()
	defer cancel()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 2000\n: connected\n\n")
	fl.Flush()
	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case st := <-ch:
			b, err := json.Marshal(st)
			if err != nil {
				return
			}
			if _, err := fmt.Fprintf(w, "event: block\ndata: %s\n\n", b); err != nil {
				return
			}
			fl.Flush()
		case <-ping.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return
			}
			fl.Flush()
		}
	}
}
