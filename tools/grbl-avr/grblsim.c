// Runs a GRBL firmware image on simavr's ATmega328P at 16 MHz and streams a G-code job to it
// over the emulated UART with character counting (128-byte receive buffer), as a host would.
// Prints when the job's first byte went out, when the last step pulse happened, and step counts.
// GRBLSIM_OKLOG=FILE: the time of every "ok" of the job (line number, seconds).
// GRBLSIM_PROF=FILE: CPU cycles spent at each program address during the job (address, cycles);
// profile.py turns it into cycles per function with the ELF's symbols.
// GRBLSIM_INCL, GRBLSIM_WATCH: cycles per function with callees, see load_incl.
// usage: grblsim grbl.elf settings.txt job.gcode
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <simavr/sim_avr.h>
#include <simavr/sim_elf.h>
#include <simavr/avr_uart.h>
#include <simavr/avr_ioport.h>
#include <simavr/avr_timer.h>

static avr_t *avr;
static int xoff;
static char rx_line[512];
static int rx_len;
static int oks, errs, alarms;
static char last_err[600];
// host side byte queue
static char *txq; static size_t txq_len, txq_pos, txq_cap;
// character counting
static int inflight[4096]; static int if_head, if_tail, if_bytes;
static avr_cycle_count_t first_byte_cycle, last_step_cycle, first_step_cycle;
static long steps[3]; static long pos[3]; static int dir_neg[3];
static int seen_banner;
static FILE *dump_file;
static long trace;
static FILE *oklog; static int ok_base;

static void queue_bytes(const char *s, size_t n) {
  if (txq_len + n > txq_cap) { txq_cap = (txq_len + n) * 2 + 1024; txq = realloc(txq, txq_cap); }
  memcpy(txq + txq_len, s, n); txq_len += n;
}
static void uart_out(struct avr_irq_t *irq, uint32_t value, void *param) {
  char c = (char)value;
  if (c == '\r') return;
  if (c == '\n') {
    rx_line[rx_len] = 0;
    if (strncmp(rx_line, "ok", 2) == 0) { oks++; if (oklog) fprintf(oklog, "%d %.6f\n", oks - ok_base, avr->cycle / 16e6); if (if_tail != if_head) { if_bytes -= inflight[if_tail]; if_tail = (if_tail + 1) % 4096; } }
    else if (strncmp(rx_line, "error", 5) == 0) { errs++; snprintf(last_err, sizeof last_err, "%s", rx_line); if (if_tail != if_head) { if_bytes -= inflight[if_tail]; if_tail = (if_tail + 1) % 4096; } fprintf(stderr, "%s\n", rx_line); }
    else if (strncmp(rx_line, "ALARM", 5) == 0) { alarms++; fprintf(stderr, "%s\n", rx_line); }
    else if (strncmp(rx_line, "Grbl", 4) == 0) { seen_banner = 1; fprintf(stderr, "%s\n", rx_line); }
    else if (rx_line[0] == '$' && dump_file) fprintf(dump_file, "%s\n", rx_line);
    else if (rx_len) fprintf(stderr, "grbl: %s\n", rx_line);
    rx_len = 0;
    return;
  }
  if (rx_len < (int)sizeof rx_line - 1) rx_line[rx_len++] = c;
}
static void uart_xon(struct avr_irq_t *irq, uint32_t v, void *p) { xoff = 0; }
static void uart_xoff(struct avr_irq_t *irq, uint32_t v, void *p) { xoff = 1; }
static void step_pin(struct avr_irq_t *irq, uint32_t value, void *param) {
  int axis = (int)(intptr_t)param;
  if (value) { // rising edge = one step
    steps[axis]++; pos[axis] += dir_neg[axis] ? -1 : 1;
    if (trace && steps[axis] % trace == 0) fprintf(stderr, "step %d %ld at %.6f\n", axis, steps[axis], avr->cycle / 16e6);
    if (!first_step_cycle) first_step_cycle = avr->cycle;
    last_step_cycle = avr->cycle;
  }
}
static void dir_pin(struct avr_irq_t *irq, uint32_t value, void *param) { dir_neg[(int)(intptr_t)param] = value ? 1 : 0; }


// simavr (1.6) treats a CTC timer whose TOP (OCR1A) is 0 as stopped, so no compare interrupt ever
// fires. On a real ATmega328P, CTC with OCR1A=0 matches on every timer tick. GRBL relies on this:
// OCR1A is 0 after reset and the stepper ISR (TIMER1_COMPA) loads OCR1A from the first step
// segment only once it has run. Emulate the hardware by raising the compare-A interrupt whenever
// it is enabled, timer 1 is clocked and OCR1A is 0 (only happens before the first ISR).
static avr_timer_t *timer1;
static void find_timer1(void) {
  for (avr_io_t *io = avr->io_port; io; io = io->next)
    if (io->kind && strcmp(io->kind, "timer") == 0 && ((avr_timer_t *)io)->name == '1') timer1 = (avr_timer_t *)io;
  if (!timer1) fprintf(stderr, "warning: timer1 not found\n");
}
static void kick_timer1(void) {
  if (!timer1) return;
  uint16_t ocr1a = avr->data[0x88] | (avr->data[0x89] << 8);
  if (ocr1a == 0 && (avr->data[0x6F] & 0x02) /* TIMSK1.OCIE1A */ && (avr->data[0x81] & 0x07) /* TCCR1B.CS1x */
      && !timer1->comp[AVR_TIMER_COMPA].interrupt.pending)
    avr_raise_interrupt(avr, &timer1->comp[AVR_TIMER_COMPA].interrupt);
}
static unsigned long long *prof; static int prof_on;
// GRBLSIM_INCL=FILE: lines "hexaddress name" (as avr-nm prints them): the CPU cycles spent in each
// of these functions during the job, callees included but interrupts not (functions named
// __vector_* are interrupts: their own time, callees included), and how often each was entered.
// Written to FILE.out. GRBLSIM_WATCH=hexaddress (a data symbol, avr-nm's 0x800000-based address):
// how often that byte changed (e.g. stepper.c's segment_buffer_head: segments prepared).
#define MAX_INCL 64
static int n_incl, incl_on; static char incl_name[MAX_INCL][64]; static int incl_isr[MAX_INCL];
static unsigned long long incl_cycles[MAX_INCL], incl_calls[MAX_INCL];
static unsigned char *incl_map; // byte address -> id + 1
static struct { int id; uint16_t sp; unsigned long long cycles0, watch0; } frames[512]; static int n_frames;
// GRBLSIM_HIST=name (one of the GRBLSIM_INCL functions): calls of it by how often the watched
// byte changed during the call, with their cycles (e.g. st_prep_buffer by segments prepared).
static int hist_id = -1; static unsigned long long hist_calls[16], hist_cycles[16];
static long watch_addr = -1; static unsigned long long watch_changes; static uint8_t watch_last;
static uint16_t get_sp(void) { return avr->data[0x5D] | (avr->data[0x5E] << 8); }
static void load_incl(const char *path) {
  FILE *f = fopen(path, "r"); char name[64]; unsigned long addr;
  if (!f) { perror(path); exit(1); }
  incl_map = calloc(65536, 1);
  while (n_incl < MAX_INCL && fscanf(f, "%lx %63s", &addr, name) == 2) {
    if (addr >= 65536) continue;
    snprintf(incl_name[n_incl], 64, "%s", name); incl_isr[n_incl] = strncmp(name, "__vector_", 9) == 0;
    incl_map[addr] = (unsigned char)(n_incl + 1); n_incl++;
  }
  fclose(f);
}
// GRBLSIM_TRACEPC=hexaddr,hexaddr,...: prints (stderr) the time of every entry to these addresses.
static uint32_t trace_pc[8]; static int n_trace_pc;
static int run_avr(void) {
  kick_timer1();
  for (int i = 0; i < n_trace_pc; i++)
    if (avr->pc == trace_pc[i]) fprintf(stderr, "pc %x at %.6f\n", trace_pc[i], avr->cycle / 16e6);
  if (!prof_on && !incl_on) return avr_run(avr);
  uint32_t pc = avr->pc; avr_cycle_count_t c0 = avr->cycle;
  if (incl_on) {
    uint16_t sp = get_sp();
    while (n_frames && sp > frames[n_frames - 1].sp) { // returned
      n_frames--;
      if (frames[n_frames].id == hist_id) {
        unsigned long long k = watch_changes - frames[n_frames].watch0; if (k > 15) k = 15;
        hist_calls[k]++; hist_cycles[k] += incl_cycles[hist_id] - frames[n_frames].cycles0;
      }
    }
    if (pc < 65536 && incl_map[pc] && n_frames < 512) {
      int id = incl_map[pc] - 1; frames[n_frames].id = id; frames[n_frames].sp = sp;
      frames[n_frames].cycles0 = incl_cycles[id]; frames[n_frames].watch0 = watch_changes; n_frames++; incl_calls[id]++;
    }
  }
  int st = avr_run(avr);
  avr_cycle_count_t dc = avr->cycle - c0;
  if (prof_on && pc < 65536) prof[pc] += dc;
  if (incl_on) {
    for (int i = n_frames - 1; i >= 0; i--) {
      int id = frames[i].id; int seen = 0;
      for (int j = i + 1; j < n_frames; j++) if (frames[j].id == id) seen = 1; // count recursion once
      if (!seen) incl_cycles[id] += dc;
      if (incl_isr[id]) break;
    }
    if (watch_addr >= 0 && avr->data[watch_addr] != watch_last) { watch_last = avr->data[watch_addr]; watch_changes++; }
  }
  return st;
}

static avr_irq_t *uart_in;
static void pump(void) {
  while (!xoff && txq_pos < txq_len) { avr_raise_irq(uart_in, (uint8_t)txq[txq_pos++]); }
}
static int run_until(int (*done)(void), double max_s) {
  avr_cycle_count_t limit = avr->cycle + (avr_cycle_count_t)(max_s * avr->frequency);
  while (!done()) {
    pump();
    int st = run_avr();
    if (st == cpu_Done || st == cpu_Crashed) { fprintf(stderr, "cpu stopped: %d\n", st); return -1; }
    if (avr->cycle > limit) return -2;
  }
  return 0;
}
static int want_oks;
static int banner_done(void) { return seen_banner; }
static int oks_done(void) { return oks + errs >= want_oks; }

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: %s grbl.elf settings.txt job.gcode\n", argv[0]); return 2; }
  elf_firmware_t fw; memset(&fw, 0, sizeof fw);
  if (elf_read_firmware(argv[1], &fw)) { fprintf(stderr, "cannot read %s\n", argv[1]); return 1; }
  avr = avr_make_mcu_by_name("atmega328p");
  if (!avr) return 1;
  avr_init(avr);
  avr->frequency = 16000000;
  avr->log = 0;
  avr_load_firmware(avr, &fw);
  uint32_t flags = 0; avr_ioctl(avr, AVR_IOCTL_UART_GET_FLAGS('0'), &flags);
  flags &= ~(AVR_UART_FLAG_POLL_SLEEP | AVR_UART_FLAG_STDIO);
  avr_ioctl(avr, AVR_IOCTL_UART_SET_FLAGS('0'), &flags);
  uart_in = avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_INPUT);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUTPUT), uart_out, NULL);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUT_XON), uart_xon, NULL);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUT_XOFF), uart_xoff, NULL);
  for (int a = 0; a < 3; a++) {
    avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ('D'), IOPORT_IRQ_PIN2 + a), step_pin, (void *)(intptr_t)a);
    avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ('D'), IOPORT_IRQ_PIN5 + a), dir_pin, (void *)(intptr_t)a);
  }
  find_timer1();
  clock_t wall0 = clock();
  if (getenv("GRBLSIM_TRACE")) trace = atol(getenv("GRBLSIM_TRACE"));
  if (run_until(banner_done, 5.0)) { fprintf(stderr, "no banner\n"); return 1; }
  // A blank (0xFF) EEPROM makes GRBL print "error:7" (settings read fail) before the banner on first boot;
  // it is not an answer to anything we sent, so do not count it.
  oks = errs = 0;
  // settings: one line at a time, wait for the answer
  FILE *sf = fopen(argv[2], "r"); char line[512];
  if (!sf) { perror(argv[2]); return 1; }
  while (fgets(line, sizeof line, sf)) {
    size_t n = strcspn(line, "\r\n"); line[n] = 0; if (!n) continue;
    line[n] = '\n'; queue_bytes(line, n + 1);
    want_oks = oks + errs + 1;
    if (run_until(oks_done, 5.0)) { fprintf(stderr, "setting %s: no answer\n", line); return 1; }
  }
  fclose(sf);
  // the settings as GRBL now holds them, for the estimate to read
  if (getenv("GRBLSIM_DUMP")) {
    dump_file = fopen(getenv("GRBLSIM_DUMP"), "w");
    queue_bytes("$$\n", 3); want_oks = oks + errs + 1;
    if (run_until(oks_done, 5.0)) { fprintf(stderr, "$$: no answer\n"); return 1; }
    fclose(dump_file); dump_file = NULL;
  }
  int setting_errs = errs;
  // job: character counting
  FILE *jf = fopen(argv[3], "r");
  if (!jf) { perror(argv[3]); return 1; }
  int lines = 0; int base = oks + errs;
  if (getenv("GRBLSIM_PROF")) { prof = calloc(65536, sizeof *prof); prof_on = 1; }
  if (getenv("GRBLSIM_TRACEPC")) {
    char *e = getenv("GRBLSIM_TRACEPC");
    while (*e && n_trace_pc < 8) { trace_pc[n_trace_pc++] = (uint32_t)strtoul(e, &e, 16); if (*e == ',') e++; }
  }
  if (getenv("GRBLSIM_INCL")) { load_incl(getenv("GRBLSIM_INCL")); incl_on = 1; }
  if (getenv("GRBLSIM_HIST")) for (int i = 0; i < n_incl; i++) if (!strcmp(incl_name[i], getenv("GRBLSIM_HIST"))) hist_id = i;
  if (getenv("GRBLSIM_WATCH")) { watch_addr = strtol(getenv("GRBLSIM_WATCH"), NULL, 16) & 0xFFFF; watch_last = avr->data[watch_addr]; }
  ok_base = oks; if (getenv("GRBLSIM_OKLOG")) oklog = fopen(getenv("GRBLSIM_OKLOG"), "w");
  while (fgets(line, sizeof line, jf)) {
    size_t n = strcspn(line, "\r\n"); line[n] = 0;
    // strip comments and spaces the way a streamer would not: send as is, but skip empty lines
    if (!n) continue;
    line[n] = '\n'; n++;
    while (if_bytes + (int)n > 127 || (if_head + 1) % 4096 == if_tail) {
      want_oks = oks + errs + 1; // wait for one more answer
      if (run_until(oks_done, 600.0)) { fprintf(stderr, "stalled at line %d\n", lines); return 1; }
    }
    if (!first_byte_cycle) first_byte_cycle = avr->cycle;
    queue_bytes(line, n); inflight[if_head] = (int)n; if_head = (if_head + 1) % 4096; if_bytes += (int)n; lines++;
    want_oks = 0;
    pump(); run_avr();
  }
  fclose(jf);
  want_oks = base + lines;
  avr_cycle_count_t job_sent = avr->cycle;
  if (run_until(oks_done, 36000.0)) { fprintf(stderr, "job did not finish\n"); return 1; }
  avr_cycle_count_t last_ok = avr->cycle;
  // let the planner drain: run until no step for 0.5 s
  for (;;) { avr_cycle_count_t c0 = avr->cycle; while (avr->cycle - c0 < 8000000) run_avr(); if (avr->cycle - last_step_cycle > 8000000) break; }
  double f = avr->frequency;
  if (incl_on) {
    char out[600]; snprintf(out, sizeof out, "%s.out", getenv("GRBLSIM_INCL")); FILE *o = fopen(out, "w");
    for (int i = 0; i < n_incl; i++) fprintf(o, "%s %llu %llu\n", incl_name[i], incl_calls[i], incl_cycles[i]);
    fprintf(o, "watch_changes %llu 0\n", watch_changes);
    for (int k = 0; k < 16; k++) if (hist_calls[k]) fprintf(o, "hist_%d %llu %llu\n", k, hist_calls[k], hist_cycles[k]);
    fclose(o);
  }
  if (prof_on) { FILE *pf = fopen(getenv("GRBLSIM_PROF"), "w"); for (int i = 0; i < 65536; i++) if (prof[i]) fprintf(pf, "%d %llu\n", i, prof[i]); fclose(pf); }
  printf("{\"lines\":%d,\"errors\":%d,\"setting_errors\":%d,\"alarms\":%d,\"first_byte_s\":%.6f,\"all_sent_s\":%.6f,\"last_ok_s\":%.6f,"
         "\"first_step_s\":%.6f,\"last_step_s\":%.6f,\"job_s\":%.6f,\"steps\":[%ld,%ld,%ld],\"pos_steps\":[%ld,%ld,%ld],\"wall_s\":%.2f}\n",
         lines, errs - setting_errs, setting_errs, alarms, first_byte_cycle / f, job_sent / f, last_ok / f,
         first_step_cycle / f, last_step_cycle / f, (last_step_cycle - first_byte_cycle) / f,
         steps[0], steps[1], steps[2], pos[0], pos[1], pos[2], (double)(clock() - wall0) / CLOCKS_PER_SEC);
  return 0;
}
