"""The kiosk's entry points, on top of everything: the command line, the benchmarks, the doctor."""
