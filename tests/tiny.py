"""Tiny budgets (``--params``) under which every pipeline runs end to end in seconds."""

TINY: dict[str, dict] = {
    "data_preparation": {"stacked_mnist.data.n": 4000},  # >= stacked_mnist.bourgain.n_points
    "gaussian_2d": {
        "gaussian_2d.data.n": 300,
        "gaussian_2d.trainer.steps": 20,
        "gaussian_2d.trainer.batch_size": 64,
        "gaussian_2d.trainer.log_every": 5,
        "gaussian_2d.trainer.device": "cpu",
        "gaussian_2d.evaluation.n": 200,
    },
    "text_lattice": {
        "text_lattice.lattice.pixel_height": 24,  # ~260 lattice points per word
        "text_lattice.trainer.steps": 20,
        "text_lattice.trainer.batch_size": 64,
        "text_lattice.trainer.log_every": 10,
        "text_lattice.trainer.device": "cpu",
        "text_lattice.evaluation.n": 200,
        "text_lattice.curve.every": 10,
        "text_lattice.curve.n": 100,
    },
    "gradient_vanishing": {
        "gradient_vanishing.data.n": 300,
        "gradient_vanishing.pretrain.max_steps": 20,
        "gradient_vanishing.pretrain.check_every": 10,
        "gradient_vanishing.pretrain.probe_n": 100,
        "gradient_vanishing.trainer.steps": 10,
        "gradient_vanishing.trainer.batch_size": 64,
        "gradient_vanishing.trainer.device": "cpu",
        "gradient_vanishing.evaluation.n": 100,
    },
    "missing_modes": {
        "missing_modes.data.grid.n": 600,
        "missing_modes.data.ring.n": 600,
        "missing_modes.data.grid_pacgan.n": 600,
        "missing_modes.seeds": [0, 1],
        "missing_modes.tuning_seeds": [2],  # kept apart from the evaluated seeds
        "missing_modes.bourgain.n_points": 100,
        "missing_modes.trainer.steps": 10,
        "missing_modes.trainer.batch_size": 32,
        "missing_modes.prior_overrides.bourgain.batch_size": 32,
        "missing_modes.trainer_overrides.ring.batch_size": 16,
        "missing_modes.trainer_overrides.grid_pacgan.steps": 10,
        "missing_modes.trainer.log_every": 5,
        "missing_modes.trainer.device": "cpu",
        "missing_modes.evaluation.n": 200,
    },
    "text_modes": {
        "text_modes.data.n": 600,
        "text_modes.data.pixel_height": 24,
        "text_modes.seeds": [0, 1],
        "text_modes.tuning_seeds": [2],
        "text_modes.bourgain.n_points": 100,
        "text_modes.trainer.steps": 10,
        "text_modes.trainer.batch_size": 32,
        "text_modes.trainer.device": "cpu",
        "text_modes.evaluation.n": 200,
    },
    "classifier": {
        "classifier.epochs": 1,
        "classifier.device": "cpu",
        "second_classifier.model.epochs": 1,
        "second_classifier.model.device": "cpu",
    },
    "mnist_stability": {
        "mnist_stability.model.width": 4,
        "mnist_stability.model.latent_dim": 8,
        "mnist_stability.trainer.steps": 6,
        "mnist_stability.trainer.batch_size": 16,
        "mnist_stability.trainer.log_every": 2,
        "mnist_stability.trainer.device": "cpu",
        "mnist_stability.monitoring.chunk_steps": 3,
        "mnist_stability.monitoring.n_samples": 40,
        "mnist_stability.monitoring.learned_classes": 3,
        "mnist_stability.seeds": [0, 1],
        "mnist_stability.evaluation.n": 60,
    },
    "stacked_mnist": {
        "stacked_mnist.data.n": 200,
        "stacked_mnist.model.width": 4,
        "stacked_mnist.gaussian.dim": 8,
        "stacked_mnist.bourgain.n_points": 50,
        "stacked_mnist.trainer.steps": 4,
        "stacked_mnist.trainer.batch_size": 16,
        "stacked_mnist.trainer.log_every": 2,
        "stacked_mnist.trainer.device": "cpu",
        "stacked_mnist.evaluation.n": 100,
        "stacked_mnist.evaluation.every": 2,
        "stacked_mnist.evaluation.running_n": 30,
        "stacked_mnist.real.n": 200,
        **{
            f"stacked_mnist.{p}.{d}.steps": None
            for p in ("dcgan", "bourgan")
            for d in ("d050", "d100")
        },
    },
    "adda": {
        "adda.source.n": 300,
        "adda.target.n": 200,
        "adda.classifier.epochs": 1,
        "adda.classifier.device": "cpu",
        "adda.adaptation.steps": 6,
        "adda.adaptation.batch_size": 16,
        "adda.adaptation.log_every": 2,
        "adda.adaptation.device": "cpu",
        "adda.projection.max_points": 30,
    },
}

# Pipelines that read what another one saves run it first (tiny) in the same project.
BEFORE: dict[str, dict[str, dict]] = {
    name: {"classifier": TINY["classifier"]} for name in ("mnist_stability", "stacked_mnist")
}
