/* alice and bob chat on the embedded in-process server: no server to start. */
#include "demo.h"

int main(void) { return run_demo(1400000001u, "demo-secret-key", NULL); }
