"""``python -m toolkit.samples``: write synthetic 居民区 workspaces (a thin command line)."""
from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import click

from toolkit.samples.generate import generate_town


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--communities", "-n", type=int, default=3, show_default=True, help="居民区个数")
@click.option("--seed", "-s", type=int, default=1, show_default=True, help="随机种子（相同种子→相同文件）")
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="输出文件夹（每个居民区一个子文件夹）")
@click.option("--elderly", type=int, default=300, show_default=True)
@click.option("--requests", type=int, default=600, show_default=True)
@click.option("--volunteers", type=int, default=80, show_default=True)
@click.option("--visits", type=int, default=15000, show_default=True)
@click.option("--services", type=int, default=None, help="服务记录条数（默认 巡访数÷15）")
@click.option("--bookings", type=int, default=None, help="活动室预约条数（默认 巡访数÷30）")
@click.option("--defect-rate", type=float, default=0.02, show_default=True, help="每行出错的概率")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), default="2026-11-23", show_default=True)
@click.option("--workers", type=int, default=2, show_default=True, help="并行进程数")
@click.option("--shape", type=click.Choice(["mixed", "estate"]), default="mixed", show_default=True,
              help="台账的填法：mixed 按等级巡访、编号和姓名都写；estate 每位老人巡访次数相同、"
                   "每次都量血压、只写编号、标准表头")
def main(communities, seed, out, elderly, requests, volunteers, visits, services, bookings,
         defect_rate, as_of, workers, shape):
    """生成虚构居民区的台账（诉求、老年人、志愿者、巡访、议事会记录、服务记录、活动室使用登记 + 设置）。

    \b
    例：python -m toolkit.samples --communities 30 --seed 7 -o /tmp/town
    """
    started = time.perf_counter()
    paths = generate_town(out, communities=communities, seed=seed, as_of=date.fromisoformat(
        as_of.strftime("%Y-%m-%d")), elderly=elderly, requests=requests, volunteers=volunteers,
        visits=visits, defect_rate=defect_rate, workers=workers, services=services,
        bookings=bookings, shape=shape)
    click.echo(f"已生成 {communities} 个居民区、{len(paths)} 个文件 → {out} "
               f"（{time.perf_counter() - started:.1f} 秒）")


if __name__ == "__main__":
    main()
