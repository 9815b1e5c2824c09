"""The engine: fleet state, sweeps that fill it, and the gate in front of actions."""
