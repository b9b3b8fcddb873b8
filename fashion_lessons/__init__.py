"""Fashion Lessons: the code behind the book, from one neuron to a Fashion-MNIST classifier.

Modules are imported on their own (``from fashion_lessons import plots``) so that
importing the package stays cheap and does not pull in TensorFlow.
"""

__version__ = "0.1.0"
