"""Hand-written PyTorch IMEX training of the SINODE models, for a side-by-side with Panode.

The same data (Panode's cached .npz), model (MLP with ReLU, N(0, std) weights, zero biases), fixed
periodic stencil J, scheme (ARKIMEX l2, PETSc's TSARKIMEXL2 tableau, fixed steps), loss, AdamW and
batches as `./panode train kse|burgers`; gradients by autograd through the solver (the discrete
adjoint). LU of I - h*gamma*J once per iteration (J is fixed). Prints one line per epoch and a
final JSON line. Run by bench/side-by-side.sh; usage: torch_imex.py --problem kse --data FILE ...
"""
import argparse
import json
import math
import time

import numpy as np
import torch

GAMMA = 1 - 1 / math.sqrt(2)  # TSARKIMEXL2: A = [[0,0],[1,0]], At = [[g,0],[1-2g,g]], b = bt = [1/2,1/2]


def stencil_matrix(coefficients, d):
    r = len(coefficients) // 2
    j = torch.zeros(d, d)
    for i in range(d):
        for k, c in enumerate(coefficients):
            j[i, (i + k - r) % d] += c
    return j


def mlp(d, hidden, std, seed):
    torch.manual_seed(seed)
    layers, width = [], d
    for h in hidden:
        layers += [torch.nn.Linear(width, h), torch.nn.ReLU()]
        width = h
    layers.append(torch.nn.Linear(width, d))
    net = torch.nn.Sequential(*layers)
    with torch.no_grad():
        for m in net:
            if isinstance(m, torch.nn.Linear):
                m.weight.normal_(0, std)
                m.bias.zero_()
    return net


def lu_solve(factors, pivots, b):
    """Solves M x = b for each row of b (the batch)."""
    if hasattr(torch.linalg, "lu_solve"):
        return torch.linalg.lu_solve(factors, pivots, b.T).T
    return torch.lu_solve(b.T, factors, pivots).T


def integrate(net, jt, u, h, steps):
    """ARKIMEX l2 with fixed step h; u is [batch, d], jt = J^T (rows times J^T = J applied per row)."""
    d = u.shape[1]
    m = torch.eye(d) - h * GAMMA * jt.T
    factors, pivots = torch.linalg.lu_factor(m)
    for _ in range(steps):
        y1 = lu_solve(factors, pivots, u)
        g1, j1 = net(y1), y1 @ jt
        y2 = lu_solve(factors, pivots, u + h * g1 + h * (1 - 2 * GAMMA) * j1)
        g2, j2 = net(y2), y2 @ jt
        u = u + 0.5 * h * (g1 + g2 + j1 + j2)
    return u


def kse(data, grid):
    u = np.load(data)["u"]  # [snapshots every 0.1, grid]
    rows = range(0, 8000 - 10, 10)
    x = np.stack([u[r] for r in rows])
    y = np.stack([u[r + 10] for r in rows])
    dx = 22.0 / grid
    dx2, dx4 = dx * dx, dx ** 4
    stencil = [-1 / dx4, 4 / dx4 - 1 / dx2, -6 / dx4 + 2 / dx2, 4 / dx4 - 1 / dx2, -1 / dx4]
    return dict(x=x, y=y, stencil=stencil, hidden=[200] * 4, std=0.01, loss="mse", lr=5e-3, batch=256,
                horizon=1.0)


def burgers(data, grid, seed, viscosity):
    u = np.load(data)["u"]  # [samples, times every 0.1, grid]
    times = u.shape[1]
    order = np.random.default_rng(seed).permutation(80 * (times - 1))[: 19 * 200]
    x = np.stack([u[k // (times - 1), k % (times - 1)] for k in order])
    y = np.stack([u[k // (times - 1), k % (times - 1) + 1] for k in order])
    c = viscosity / (1.0 / grid) ** 2  # nu u_xx on [0, 1), as BurgersExperiment
    return dict(x=x, y=y, stencil=[c, -2 * c, c], hidden=[9 * grid // 8] * 4, std=0.1, loss="mae", lr=1e-3,
                batch=200, horizon=0.1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--problem", choices=["kse", "burgers"], required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--grid", type=int, required=True)
    p.add_argument("--step", type=float, required=True)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (intra-op)")
    p.add_argument("--viscosity", type=float, default=8e-4, help="Burgers.paper's nu")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(a.threads)
    s = kse(a.data, a.grid) if a.problem == "kse" else burgers(a.data, a.grid, a.seed, a.viscosity)
    x, y = torch.from_numpy(s["x"]).double(), torch.from_numpy(s["y"]).double()
    jt = stencil_matrix(s["stencil"], a.grid).T.contiguous()
    net = mlp(a.grid, s["hidden"], s["std"], a.seed)
    opt = torch.optim.AdamW(net.parameters(), lr=s["lr"])
    steps = round(s["horizon"] / a.step)
    loss_fn = torch.nn.functional.mse_loss if s["loss"] == "mse" else torch.nn.functional.l1_loss
    n, batch = x.shape[0], s["batch"]
    generator = torch.Generator().manual_seed(a.seed)
    epoch_seconds = []
    for epoch in range(1, a.epochs + 1):
        began = time.perf_counter()
        order = torch.randperm(n, generator=generator)
        total = 0.0
        for b in range(n // batch):  # drop-last, as Panode's trainer
            index = order[b * batch:(b + 1) * batch]
            opt.zero_grad()
            loss = loss_fn(integrate(net, jt, x[index], a.step, steps), y[index])
            loss.backward()
            opt.step()
            total += loss.item()
        epoch_seconds.append(time.perf_counter() - began)
        print(f"epoch {epoch} {epoch_seconds[-1]:.4f} s loss {total / (n // batch):.6e}", flush=True)
    print(json.dumps({"torch": torch.__version__, "threads": a.threads, "epoch_seconds": epoch_seconds}))


if __name__ == "__main__":
    main()
